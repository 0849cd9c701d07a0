import ArgumentParser
import Foundation
import PortDailyCore
import PortDailyStore

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Report reduction, crossings, fuel and cost saved, for a period (local dates, inclusive).",
        discussion: "JSON keys are documented in docs/cli.md; every result echoes the parameters it used.")

    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("First date.", valueName: "YYYY-MM-DD")) var from: String
    @Option(help: ArgumentHelp("Last date.", valueName: "YYYY-MM-DD")) var to: String
    @Option(name: .customLong("operator"), help: "Only this operator's vessels.") var operatorID: String?
    @Option(help: "Only voyages that touched this bureau's waters.") var bureau: String?
    @Option(help: "Only vessels of this type.") var type: String?
    @Option(help: "json, csv (one row a day and a total row) or table.") var format: FigureFormat = .json

    enum FigureFormat: String, ExpressibleByArgument, CaseIterable { case json, csv, table }

    func run() throws {
        guard let first = LocalDate(from) else { throw UsageError(message: "--from: not a date YYYY-MM-DD: \(from)") }
        guard let last = LocalDate(to) else { throw UsageError(message: "--to: not a date YYYY-MM-DD: \(to)") }
        let (configuration, store, _) = try common.open()
        let limits = configuration.daemon.limits
        guard limits.admitsFiguresPeriod(from: first, to: last) else {
            throw UsageError(message: "--from must not be after --to, and the period at most \(limits.maxFiguresDays) days (http.maxFiguresDays)")
        }
        if let bureau, configuration.setup.bureau(bureau) == nil { throw UsageError(message: "--bureau: unknown bureau '\(bureau)'") }
        if let type, !configuration.setup.knowsVesselType(type) { throw UsageError(message: "--type: unknown vessel type '\(type)'") }
        let result = try store.figures(FigureQuery(from: first, to: last, operator: operatorID, bureau: bureau, vesselType: type),
                                       setup: configuration.setup, parameters: configuration.figures)
        switch format {
        case .json: try Console.writeJSON(result)
        case .csv: Console.writeCSV(header: FigureResult.csvHeader, rows: result.csvRows)
        case .table: print(Self.table(result))
        }
    }

    static func table(_ r: FigureResult) -> String {
        let t = r.totals
        func line(_ label: String, _ value: String) -> String { label.padding(toLength: 44, withPad: " ", startingAt: 0) + value }
        return [
            "Figures \(r.query.from) to \(r.query.to)",
            line("voyages", "\(t.voyages)"),
            line("reports, one per voyage (old rule)", "\(t.reportsPerVoyage)"),
            line("reports, daily per bureau", "\(t.reportsDailyPerBureau)"),
            line("reports, consolidated daily", "\(t.reportsConsolidated)"),
            line("reduction per-voyage → consolidated", String(format: "%.1f %%", t.reductionPercent.perVoyageToConsolidated)),
            line("reduction daily-per-bureau → consolidated", String(format: "%.1f %%", t.reductionPercent.dailyPerBureauToConsolidated)),
            line("cross-jurisdiction voyages", String(format: "%d (%.2f %%)", t.crossJurisdictionVoyages, 100 * t.crossJurisdictionShare)),
            line("wait avoided / vessel-hours freed", String(format: "%.1f h", t.waitAvoidedHours)),
            line("equivalent vessels", String(format: "%.2f", r.equivalentVessels)),
            line("fuel saved", String(format: "%.1f t", t.fuelSavedTonnes)),
            line("fuel cost saved", String(format: "CNY %.0f", t.fuelSavedCny)),
        ].joined(separator: "\n") + r.declared.map { "\n" + line("declared: \($0.label)", String(format: "%.0f %@", $0.value, $0.unit)) }.joined()
    }
}

import Foundation
import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyStore

/// The figures of a period as numbers and charts: the same computation as `GET /v1/figures`
/// (``PortDailyStore/figures(_:setup:parameters:)``), held to the caller's scope.
extension Console {
    struct Option { let id, name: String; let selected: Bool }
    struct AdminFilters { let operators, bureaus, types: [Option] }
    struct Chart { let svg: String }

    struct FiguresPage {
        let from, to: String
        let adminFilters: AdminFilters?
        let perVoyage, dailyPerBureau, consolidated, reduction, cross, fuel, money, hours, equivalentVessels: String
        let charts: [Chart]
    }

    func figures(_ request: Request, _ context: AppRequestContext, _ scope: Scope) throws -> Response {
        let config = configuration.current
        let today = config.calendar.localDate(of: clock.now)
        let to = try request.optionalQuery("to", "a date YYYY-MM-DD") { LocalDate($0) } ?? today
        let from = try request.optionalQuery("from", "a date YYYY-MM-DD") { LocalDate($0) } ?? to.adding(days: -29)
        guard config.daemon.limits.admitsFiguresPeriod(from: from, to: to) else {
            throw Problem(.badRequest, detail: "from must not be after to, and the period at most \(config.daemon.limits.maxFiguresDays) days")
        }
        let parameters = request.uri.queryParameters
        func chosen(_ name: String) -> String? { parameters.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        let query = FigureQuery(from: from, to: to, operator: scope.operatorFilter(requested: chosen("operator")),
                                bureau: scope.bureauFilter(requested: chosen("bureau")), vesselType: chosen("type"))
        if let bureau = query.bureau, config.setup.bureau(bureau) == nil { throw Problem(.badRequest, detail: "bureau: unknown bureau '\(bureau)'") }
        let result = try store.figures(query, setup: config.setup, parameters: config.figures)
        let strings = context.language.strings
        var filters: AdminFilters?
        if scope.caller == .admin {
            let operators = Set(try store.vessels().map(\.operator)).sorted()
            filters = AdminFilters(
                operators: operators.map { Option(id: $0, name: $0, selected: $0 == query.operator) },
                bureaus: config.setup.bureaus.map { Option(id: $0.id, name: $0.name, selected: $0.id == query.bureau) },
                types: config.setup.vesselTypes.map { Option(id: $0, name: $0, selected: $0 == query.vesselType) })
        }
        let totals = result.totals
        let days = result.daily.map { $0.date.map { String($0.description.dropFirst(5)) } ?? "" }
        var cumulative = 0.0
        let fuel = result.daily.map { day -> Double in cumulative += day.fuelSavedTonnes; return cumulative }
        let charts = [
            SVGChart(title: strings.chartReports, labels: days, series: [
                .init(name: strings.perVoyage, values: result.daily.map { Double($0.reportsPerVoyage) }, colour: SVGChart.palette[2]),
                .init(name: strings.dailyPerBureau, values: result.daily.map { Double($0.reportsDailyPerBureau) }, colour: SVGChart.palette[1]),
                .init(name: strings.consolidated, values: result.daily.map { Double($0.reportsConsolidated) }, colour: SVGChart.palette[0]),
            ], id: "chart-reports"),
            SVGChart(title: strings.chartCrossJurisdiction, labels: days, series: [
                .init(name: strings.crossJurisdictionVoyages, values: result.daily.map { Double($0.crossJurisdictionVoyages) },
                      colour: SVGChart.palette[0]),
            ], id: "chart-cross"),
            SVGChart(title: strings.chartFuel, labels: days, series: [
                .init(name: strings.fuelSavedTonnes, values: fuel, colour: SVGChart.palette[3]),
            ], unit: strings.tonnes, id: "chart-fuel"),
        ]
        let page = FiguresPage(
            from: from.description, to: to.description, adminFilters: filters,
            perVoyage: Numbers.whole(totals.reportsPerVoyage), dailyPerBureau: Numbers.whole(totals.reportsDailyPerBureau),
            consolidated: Numbers.whole(totals.reportsConsolidated),
            reduction: Numbers.percent(totals.reductionPercent.perVoyageToConsolidated),
            cross: Numbers.whole(totals.crossJurisdictionVoyages), fuel: Numbers.decimal(totals.fuelSavedTonnes),
            money: Numbers.whole(Int(totals.fuelSavedCny.rounded())), hours: Numbers.decimal(totals.vesselHoursFreed),
            equivalentVessels: Numbers.decimal(result.equivalentVessels), charts: charts.map { Chart(svg: $0.svg()) })
        return pages.page("figures", page, section: .figures, request: request, context: context, zone: zoneName)
    }
}

/// Numbers as the pages show them (the same in both languages: grouped thousands, one decimal).
enum Numbers {
    static func whole(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return whole(tenths / 10) + "." + String(abs(tenths % 10))
    }

    static func percent(_ value: Double) -> String { decimal(value) + " %" }
}

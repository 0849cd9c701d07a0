/// The report documents of the API, written in one place: a revision's stored report JSON (the
/// one report encoder's bytes, ``ReportJSON``) spliced with the revision's bookkeeping, and what
/// an answer adds to it (acknowledgements, the list of revisions). Nothing is decoded to be
/// written again: a list of a thousand reports is mostly copies of stored bytes.
///
/// A document's members: the report's own (in its canonical order), then `changes`, `late`,
/// `recordedAt`, `revision`, `sealed`, `seq`, `withdrawn`, then `acknowledgements` and `revisions`
/// where the answer has them.
public enum ReportDocumentJSON {
    /// One revision's document.
    /// `aisCheck`: the AIS check's summary of the vessel-day, as JSON (written by the AIS module).
    public static func write(_ text: StoredRevisionText, acknowledgements: [Acknowledgement]?,
                             revisions: [ReportRevision]? = nil, changedBy: [Int: [String]] = [:], aisCheck: [UInt8]? = nil,
                             into out: inout JSONWriter) {
        out.beginObject(extending: text.content)
        out.key("changes")
        out.json(text.changes)
        out.key(ReportField.late.key)
        out.bool(text.late)
        out.field("recordedAt", text.recordedAt)
        out.field(ReportField.revision.key, text.revision)
        out.key(ReportField.sealed.key)
        out.bool(text.sealed)
        out.key("seq")
        out.number(text.seq)
        out.key("withdrawn")
        out.bool(text.withdrawn)
        if let acknowledgements {
            out.key("acknowledgements")
            write(acknowledgements, into: &out)
        }
        if let revisions {
            out.key("revisions")
            out.beginArray()
            for revision in revisions { summary(revision, changedBy: changedBy[revision.revision], into: &out) }
            out.endArray()
        }
        if let aisCheck {
            out.key("aisCheck")
            out.json(aisCheck)
        }
        out.endObject()
    }

    /// A report list: its documents, and the much smaller text that determines them (for its ETag).
    /// `aisCheck`: the AIS check's summary of each report that has one, by report id (part of the
    /// identity too: the ETag changes with it).
    public static func list(_ items: [(StoredRevisionText, [Acknowledgement])],
                            aisCheck: [String: [UInt8]] = [:]) -> (body: [UInt8], identity: [UInt8]) {
        var out = JSONWriter(capacity: items.reduce(2) { $0 + $1.0.content.count + $1.0.changes.count + 300 })
        var identity = JSONWriter(capacity: items.count * 24)
        out.beginArray()
        identity.beginArray()
        for (text, acknowledgements) in items {
            let summary = aisCheck[text.reportId]
            write(text, acknowledgements: acknowledgements, aisCheck: summary, into: &out)
            self.identity(text, acknowledgements: acknowledgements, into: &identity)
            if let summary { identity.json(summary) }
        }
        out.endArray()
        identity.endArray()
        return (out.bytes, identity.bytes)
    }

    /// A page of the changes feed: `{"items": [documents], "next": cursor}`.
    public static func changesPage(_ items: [StoredRevisionText], next: String) -> [UInt8] {
        var out = JSONWriter(capacity: items.reduce(32) { $0 + $1.content.count + $1.changes.count + 200 })
        out.beginObject()
        out.key("items")
        out.beginArray()
        for item in items { write(item, acknowledgements: nil, into: &out) }
        out.endArray()
        out.field("next", next)
        out.endObject()
        return out.bytes
    }

    /// Acknowledgements as a JSON array.
    public static func acknowledgements(_ list: [Acknowledgement]) -> [UInt8] {
        var out = JSONWriter(capacity: 2 + list.count * 100)
        write(list, into: &out)
        return out.bytes
    }

    /// What determines a revision's document in a list: its sequence number (the store never
    /// writes a row's content again under the same one), whether its day is sealed, and its
    /// acknowledgements. Far smaller than the document.
    static func identity(_ text: StoredRevisionText, acknowledgements: [Acknowledgement], into out: inout JSONWriter) {
        out.beginArray()
        out.number(text.seq)
        out.bool(text.sealed)
        for acknowledgement in acknowledgements { write(acknowledgement, into: &out) }
        out.endArray()
    }

    static func write(_ list: [Acknowledgement], into out: inout JSONWriter) {
        out.beginArray()
        for acknowledgement in list { write(acknowledgement, into: &out) }
        out.endArray()
    }

    static func write(_ acknowledgement: Acknowledgement, into out: inout JSONWriter) {
        out.beginObject()
        out.field("bureau", acknowledgement.bureau)
        out.field("recordedAt", acknowledgement.recordedAt)
        out.field("remark", acknowledgement.remark)
        out.field("revision", acknowledgement.revision)
        out.endObject()
    }

    /// A revision in a report's list of revisions: what it changed, when, and whether late.
    static func summary(_ revision: ReportRevision, changedBy: [String]?, into out: inout JSONWriter) {
        out.beginObject()
        if let changedBy {
            // Who made the changes (the audit trail's actors).
            out.key("changedBy")
            out.beginArray()
            for actor in changedBy { out.string(actor) }
            out.endArray()
        }
        out.key("changes")
        ReportJSON.changes(revision.changes, into: &out)
        out.key("late")
        out.bool(revision.late)
        out.field("recordedAt", revision.recordedAt)
        out.field("revision", revision.revision)
        out.endObject()
    }
}

public import PortDailyCore

extension AISMessage {
    /// The message as one JSON object (the NDJSON line of `portdaily ais decode`, without its end):
    /// `type`, `mmsi`, and each field the message carries. Degrees to 10^-6 (the spec's
    /// resolution is 1/600,000), speed and course to 0.1.
    public func writeJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("type", type)
        writer.field("mmsi", mmsi)
        if let lat, let lon {
            writer.key("lat")
            writer.decimal(Self.micro(lat), places: 6)
            writer.key("lon")
            writer.decimal(Self.micro(lon), places: 6)
        }
        if let sog {
            writer.key("sog")
            writer.decimal(Int((sog * 10).rounded()), places: 1)
        }
        if let cog {
            writer.key("cog")
            writer.decimal(Int((cog * 10).rounded()), places: 1)
        }
        writer.field("heading", heading)
        writer.field("navStatus", navStatus)
        writer.field("shipType", shipType)
        writer.field("name", name)
        writer.field("callSign", callSign)
        writer.field("imo", imo)
        writer.field("destination", destination)
        if let dimensions {
            writer.key("dimensions")
            writer.beginObject()
            writer.field("bow", dimensions.bow)
            writer.field("stern", dimensions.stern)
            writer.field("port", dimensions.port)
            writer.field("starboard", dimensions.starboard)
            writer.endObject()
        }
        writer.field("partNumber", partNumber)
        writer.field("mothershipMmsi", mothershipMMSI)
        writer.field("stationTime", stationTime)
        if ownVessel {
            writer.key("ownVessel")
            writer.bool(true)
        }
        if channel != 0 { writer.field("channel", String(UnicodeScalar(channel))) }
        writer.field("receivedAt", receivedAt)
        writer.field("source", source)
        writer.endObject()
    }

    /// Degrees as millionths: raw / 600,000 × 10^6, to the nearest (never a tie: 10·raw/6 is a
    /// whole number, or a third or two thirds past one).
    static func micro(_ degrees: Double) -> Int { Int((degrees * 1_000_000).rounded()) }
}

extension AISCounts {
    /// The decode's summary as one JSON object: lines, messages by type, what was dropped and why.
    public func writeJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("lines", lines)
        writer.field("decoded", decoded)
        writer.key("byType")
        writer.beginObject()
        for (type, count) in byType.enumerated() where count > 0 { writer.key(text: String(type)); writer.number(count) }
        writer.endObject()
        writer.key("skippedTypes")
        writer.beginObject()
        for (type, count) in skippedTypes.enumerated() where count > 0 { writer.key(text: String(type)); writer.number(count) }
        writer.endObject()
        writer.key("refused")
        writer.beginObject()
        for reason in AISRefusal.allCases { if let count = refused[reason] { writer.key(text: reason.rawValue); writer.number(count) } }
        writer.endObject()
        writer.field("duplicates", duplicates)
        writer.field("ignored", ignored)
        writer.endObject()
    }
}

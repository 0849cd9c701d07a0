import Hummingbird

/// The baseline of the HTTP figures: Hummingbird with the same framework defaults as the daemon,
/// answering the daemon's routes with constants (the body is read, nothing else is done).
///
///     bare-hummingbird PORT
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8099 : 8099
let router = Router()
router.post("v1/voyages") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"accepted":1,"committed":true}"#)))
}
router.get("v1/daily-reports") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "[]")))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()

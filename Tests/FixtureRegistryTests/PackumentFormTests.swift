import Testing
@testable import FixtureRegistry

@Suite("Accept header chooses the packument form")
struct PackumentFormTests {
    @Test(arguments: [
        ("application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*", PackumentForm.abbreviated),
        ("application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8,  */*", .abbreviated),  // parsed, not matched
        ("application/vnd.npm.install-v1+json", .abbreviated),
        ("application/json", .full),
        ("*/*", .full),
        ("application/json, application/vnd.npm.install-v1+json; q=0.5", .full),
        ("application/vnd.npm.install-v1+json; q=0", .full),
    ])
    func accept(header: String, form: PackumentForm) {
        #expect(PackumentForm(accept: header) == form)
    }

    @Test func noAcceptHeaderMeansFull() {
        #expect(PackumentForm(accept: nil) == .full)
    }
}

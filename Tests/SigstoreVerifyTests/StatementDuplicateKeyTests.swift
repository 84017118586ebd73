import SigstoreModels
import Testing

/// A signed in-toto statement that names a key twice is refused: the signature covers both copies,
/// and readers differ on which one counts (JSON.parse and Go keep the last, others the first).
@Suite struct StatementDuplicateKeyTests {
    static let real = #"{"name":"pkg:npm/a@1.0.0","digest":{"sha512":"aa"}}"#
    static let evil = #"{"name":"pkg:npm/a@1.0.0","digest":{"sha512":"bb"}}"#

    @Test func aStatementWithOneSubjectListParses() throws {
        let statement = try InTotoStatement(payload: Array(#"{"_type":"https://in-toto.io/Statement/v1","subject":[\#(Self.real)],"predicateType":"p"}"#.utf8))
        #expect(statement.subjects.map(\.digest) == [["sha512": "aa"]])
    }

    @Test(arguments: [
        #"{"_type":"https://in-toto.io/Statement/v1","subject":[\#(evil)],"predicateType":"p","subject":[\#(real)]}"#,
        #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"pkg:npm/a@1.0.0","digest":{"sha512":"bb","sha512":"aa"}}],"predicateType":"p"}"#,
        #"{"_type":"https://in-toto.io/Statement/v1","subject":[\#(real)],"predicateType":"p","predicateType":"q"}"#,
    ])
    func aKeyNamedTwiceIsRefused(_ payload: String) {
        #expect(throws: (any Error).self) { try InTotoStatement(payload: Array(payload.utf8)) }
    }
}

public import Foundation

/// sigstore-python (PyPI `sigstore`, in the venv `make deps` fills) as an independent verifier of
/// DSSE bundles, through its Python API: `Verifier(trusted_root=…).verify_dsse(bundle, Identity(…))`.
/// Offline by construction (a trusted root file, no TUF). Its CLI cannot check npm provenance:
/// it insists on a sha256 subject matching an input file, and npm's subject is a sha512 purl.
/// Note: sigstore-python checks DSSE bundles only with Rekor `dsse` 0.0.1 entries (not `intoto`).
public enum SigstorePythonWitness {
    /// The interpreter of the venv `make deps` fills (``Repository/venv``); see ``Requirement/venv``.
    public static var python: URL { Repository.venv.appendingPathComponent("bin/python") }

    /// Verifies `bundle` under `trustedRoot` for the certificate identity (SAN) and OIDC issuer.
    /// Exit 0 and `{"verified": true, "payloadType", "subject"}` on success; exit 1 and
    /// `{"verified": false, "error"}` when verification fails; anything else is a usage error.
    public static func verify(python: URL, bundle: URL, trustedRoot: URL, identity: String, issuer: String) async throws -> ProcessResult {
        try await ProcessRunner.run(python, ["-c", script, "--bundle", bundle.path, "--trusted-root", trustedRoot.path,
                                             "--identity", identity, "--issuer", issuer])
    }

    static let script = """
        import argparse, json, sys
        from sigstore.errors import VerificationError
        from sigstore.models import Bundle, TrustedRoot
        from sigstore.verify import Verifier, policy
        parser = argparse.ArgumentParser()
        for flag in ("--bundle", "--trusted-root", "--identity", "--issuer"):
            parser.add_argument(flag, required=True)
        args = parser.parse_args()
        bundle = Bundle.from_json(open(args.bundle, "rb").read())
        verifier = Verifier(trusted_root=TrustedRoot.from_file(args.trusted_root))
        try:
            payload_type, payload = verifier.verify_dsse(bundle, policy.Identity(identity=args.identity, issuer=args.issuer))
        except VerificationError as error:
            print(json.dumps({"verified": False, "error": str(error)}))
            sys.exit(1)
        print(json.dumps({"verified": True, "payloadType": payload_type, "subject": json.loads(payload).get("subject")}))
        """
}

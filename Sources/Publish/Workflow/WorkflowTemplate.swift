// GENERATED from .github/workflows/templates/mochi-publish-npm.yml — do not edit by hand.
// `WorkflowTemplateTests` fails when the two differ; regenerate by pasting the template's
// bytes between the raw-string delimiters below (the blank last line keeps its final newline).

/// The GitHub Actions workflow `mochi-pkg publish --target=npm-library` writes, byte for byte
/// the canonical template `.github/workflows/templates/mochi-publish-npm.yml`.
public enum WorkflowTemplate {
    /// Where the workflow lands, relative to the project folder.
    public static let relativePath = ".github/workflows/mochi-publish-npm.yml"

    /// The template's text.
    public static let npmLibrary: String = #"""
# Emitted by `mochi-pkg publish --target=npm-library`; the canonical copy is
# .github/workflows/templates/mochi-publish-npm.yml in mochi-npm-verify.
# Publishes the npm-library build of this project with npm Trusted Publishing:
# npm exchanges the job's OIDC token for a short-lived publish token, so no
# long-lived npm token or repository secret is involved, and `--provenance`
# signs a SLSA v1 provenance statement with Sigstore.
name: Publish to npm

on:
  push:
    tags:
      - "v*"

permissions:
  contents: read
  id-token: write
  attestations: write

jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: "22"
          registry-url: "https://registry.npmjs.org"
      - name: npm 11.5.1 or later (trusted publishing needs it; node 22 ships npm 10)
        run: npm install -g npm@^11.5.1
      - name: Build the npm library
        run: mochi build --target=npm-library
      - name: Publish with provenance (trusted publishing, no token)
        run: npm publish --provenance --access=public
        working-directory: ./target/ts/npm-library
      - name: Attest the build output
        uses: actions/attest-build-provenance@v2
        with:
          subject-path: "target/ts/npm-library/dist/**"

"""#
}

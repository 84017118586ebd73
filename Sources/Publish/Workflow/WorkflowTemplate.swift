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
# Actions are pinned to full commit SHAs (the tag each stood for is beside it).
name: Publish to npm

on:
  push:
    tags:
      - "v*"

permissions: {}

jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
      attestations: write
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0
        with:
          node-version: "24"
          registry-url: "https://registry.npmjs.org"
          package-manager-cache: false
      - name: npm 11.5.1 or later (trusted publishing needs it; node 24 ships it)
        run: |
          node -e '
            const m = /^(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(process.argv[1])
            const v = m ? [+m[1], +m[2], +m[3]] : [0, 0, 0]
            const older = v[0] - 11 || v[1] - 5 || v[2] - 1
            if (older < 0 || (older === 0 && m[4])) {
              console.error(`npm ${process.argv[1]} cannot publish with trusted publishing; 11.5.1 or later can`)
              process.exit(1)
            }' "$(npm --version)"
      - name: Build the npm library
        run: mochi build --target=npm-library
      - name: The tag names the version being published
        run: |
          version=$(node -p 'require("./package.json").version')
          echo "$version" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?' || { echo "package.json version '$version' is not a plain semver version" >&2; exit 1; }
          test "v$version" = "$GITHUB_REF_NAME" || { echo "tag $GITHUB_REF_NAME does not name version $version" >&2; exit 1; }
        working-directory: ./target/ts/npm-library
      - name: Attest the build output
        uses: actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be # v2.4.0
        with:
          subject-path: "target/ts/npm-library/dist/**"
      - name: Publish with provenance (trusted publishing, no token)
        run: npm publish --provenance --access=public
        working-directory: ./target/ts/npm-library

"""#
}

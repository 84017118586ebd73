#!/usr/bin/env python3
"""Writes the seed corpora for the fuzz targets into OUT/<target>/ (run by Fuzz/run.sh).

Seeds come from ../shared/vectors (read-only), ../shared/vendor/tuf-conformance (TUF metadata),
Registry/ (packages, recorded flows, scenarios), ConsumerFixtures/ and Tests/SemverTests/Fixtures;
nothing is written into the repository. Usage: seeds.py ROOT OUT
"""
import base64
import hashlib
import io
import json
import os
import re
import sys
import tarfile

ROOT = os.path.abspath(sys.argv[1])
OUT = os.path.abspath(sys.argv[2])
VECTORS = os.environ.get("FUZZ_VECTORS") or os.path.join(ROOT, "..", "shared", "vectors")
VENDOR_TUF = os.path.join(ROOT, "..", "shared", "vendor", "tuf-conformance")
MAX_SEED = 256 * 1024
counts = {}


def put(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_SEED:
        return
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    counts[target] = counts.get(target, 0) + 1


def files(base, suffix=""):
    for folder, _, names in os.walk(base):
        for name in sorted(names):
            if name.endswith(suffix):
                yield os.path.join(folder, name)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def load_json(path):
    try:
        return json.loads(read(path))
    except Exception:
        return None


def walk(value):
    """Every object and value in a JSON document."""
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def b64(text):
    try:
        return base64.b64decode(text, validate=False)
    except Exception:
        return None


vector_json = [p for p in files(VECTORS, ".json")]
registry_json = [p for p in files(os.path.join(ROOT, "Registry"), ".json")]
docs = {p: load_json(p) for p in vector_json + registry_json}

# --- safejson: every JSON document we have, plus a few edge cases.
for p in vector_json + registry_json:
    put("safejson", read(p))
for text in ['{"a":[1,2.5e-3,-0,true,false,null,"\\u00e9\\ud83d\\ude00"]}', "[[[[[[[[[[]]]]]]]]]]", '"\\u0000"',
             "1e400", '{"a":1,"a":2}', "\ufeff{}", '{"x":"\\uD800"}']:
    put("safejson", text)

# --- semver: "version\nrange" pairs from the semver table (node-semver 7.6.2 behaviour).
table = load_json(os.path.join(ROOT, "Tests", "SemverTests", "Fixtures", "semver-table.json")) or {}
versions = [v["text"] for v in table.get("versions", [])][:80]
ranges = [r["range"] for r in table.get("ranges", [])][:200]
for i, r in enumerate(ranges):
    put("semver", f"{versions[i % len(versions)] if versions else '1.2.3'}\n{r}")
for v in versions:
    put("semver", v)

# --- packument / manifests
pkg_root = os.path.join(ROOT, "Registry", "packages")
packuments = {}
for manifest_path in files(pkg_root, "package.json"):
    manifest = load_json(manifest_path)
    if not isinstance(manifest, dict):
        continue
    put("packument", read(manifest_path))
    name, version = manifest.get("name"), manifest.get("version")
    entry = dict(manifest)
    entry["dist"] = {"tarball": f"http://127.0.0.1:4873/{name}/-/{name.split('/')[-1]}-{version}.tgz",
                     "integrity": "sha512-" + base64.b64encode(hashlib.sha512(name.encode()).digest()).decode(),
                     "shasum": hashlib.sha1(name.encode()).hexdigest()}
    packuments.setdefault(name, {"name": name, "dist-tags": {}, "versions": {}, "time": {}})
    packuments[name]["versions"][version] = entry
    packuments[name]["dist-tags"]["latest"] = version
for name, doc in packuments.items():
    put("packument", json.dumps(doc, indent=1))
for p in files(os.path.join(VECTORS, "npm-real", "pacote"), ".json"):
    if "packument" in p:
        put("packument", read(p))
manifests = docs.get(os.path.join(VECTORS, "npm-real", "manifests.json"))
if isinstance(manifests, dict):
    for entry in manifests.get("versions", []):
        if isinstance(entry, dict):
            put("packument", json.dumps(entry))
            put("packument", json.dumps({"name": entry.get("name"), "versions": {str(entry.get("version")): entry}}))

# --- lockfile
for p in files(os.path.join(ROOT, "ConsumerFixtures"), "package-lock.json"):
    put("lockfile", read(p))
put("lockfile", json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": {
    "": {"name": "app", "version": "1.0.0", "dependencies": {"@mochi/example": "^1.0.0"}},
    "node_modules/@mochi/example": {"version": "1.1.0", "resolved": "http://127.0.0.1:4873/@mochi/example/-/example-1.1.0.tgz",
                                    "integrity": "sha512-" + "A" * 86 + "==", "license": "MIT", "bin": {"ex": "cli.js"},
                                    "engines": {"node": ">=18"}, "dev": True, "optional": True, "peer": True,
                                    "hasInstallScript": True},
    "node_modules/a/node_modules/b": {"version": "2.0.0", "dependencies": {"c": "*"}}}}, indent=2))

# --- npmrc (first line: environment for ${VAR}, then the file)
for text in [
    "NPM_TOKEN=abc\nregistry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
    "X=1;Y=2\n; comment\n# comment\n@mochi:registry = \"http://127.0.0.1:4873/\"\nalways-auth=true\n",
    "\n//127.0.0.1:4873/:_authToken=\\${NPM_TOKEN} ${MISSING} ${OPT?} \\\\${NPM_TOKEN}\n",
    "A=${B};B=${A}\nkey=${A}${B}${A}${B}${A}${B}${A}${B}${A}${B}${A}${B}${A}${B}${A}${B}${A}\n",
    "\nregistry=http://localhost:4873\r\n@a:registry=http://x/\n//x/:_authToken=t\n",
]:
    put("npmrc", text)

# --- sri: every integrity string and shasum in the vectors and the registry
sri_re = re.compile(rb"sha(?:1|256|384|512)-[A-Za-z0-9+/=]{8,}(?:\?[!-~]*)?")
seen = set()
for p in vector_json + registry_json:
    for m in sri_re.findall(read(p)):
        if m not in seen and len(seen) < 300:
            seen.add(m)
            put("sri", m)
put("sri", "sha512-" + "A" * 86 + "== sha256-" + "B" * 43 + "= sha1-abc?opt")
put("sri", "0123456789abcdef0123456789abcdef01234567")

# --- sigstore bundles, dsse envelopes and in-toto statements, certificates and timestamps
def bundles():
    for p, doc in docs.items():
        for value in walk(doc):
            if isinstance(value, dict) and "mediaType" in value and "verificationMaterial" in value:
                yield value


for p in files(VECTORS, ".sigstore.json"):
    put("sigstore", read(p))
for bundle in bundles():
    put("sigstore", json.dumps(bundle))
    envelope = bundle.get("dsseEnvelope")
    if isinstance(envelope, dict):
        put("dsse", json.dumps(envelope))
        payload = b64(envelope.get("payload", ""))
        if payload:
            put("dsse", payload)
    material = bundle.get("verificationMaterial") or {}
    for value in walk(material):
        if isinstance(value, dict) and "rawBytes" in value:
            raw = b64(value["rawBytes"])
            if raw:
                put("x509", raw)
        if isinstance(value, dict) and "signedTimestamp" in value:
            raw = b64(value["signedTimestamp"])
            if raw:
                put("x509", raw)
for p in files(VECTORS, ".json"):
    if os.path.basename(p).startswith("trusted_root"):
        for value in walk(docs.get(p)):
            if isinstance(value, dict) and "rawBytes" in value:
                raw = b64(value["rawBytes"])
                if raw:
                    put("x509", raw)
                    pem_type = "CERTIFICATE" if raw[:1] == b"\x30" and len(raw) > 300 else "PUBLIC KEY"
                    body = base64.encodebytes(raw).decode()
                    put("x509", f"-----BEGIN {pem_type}-----\n{body}-----END {pem_type}-----\n")
for p in list(files(os.path.join(ROOT, "Registry", "keys"), ".pub.pem")) + list(files(VECTORS, "key.pub")):
    put("x509", read(p))

# --- tarballs: the Registry packages packed as npm does (package/ prefix), plus hostile shapes
def tgz(entries, gz=True):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if gz else "w", format=tarfile.USTAR_FORMAT) as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def member(name, data=b"", kind=tarfile.REGTYPE, link="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode, info.mtime = kind, link, mode, 499162500
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


for version_dir in sorted({os.path.dirname(p) for p in files(pkg_root, "package.json")}):
    entries = []
    for p in files(version_dir):
        rel = os.path.relpath(p, version_dir)
        entries.append(member("package/" + rel, read(p), mode=0o755 if rel.endswith("cli.js") else 0o644))
    put("tarball", tgz(entries))
small = [member("package/package.json", b'{"name":"x","version":"1.0.0","bin":"cli.js"}'),
         member("package/cli.js", b"#!/usr/bin/env node\n", mode=0o755)]
put("tarball", tgz(small))
put("tarball", tgz(small, gz=False))
put("tarball", tgz(small + [member("package/link", kind=tarfile.SYMTYPE, link="../../etc/passwd"),
                            member("package/hard", kind=tarfile.LNKTYPE, link="package/cli.js"),
                            member("package/../escape.txt", b"x"), member("/abs.txt", b"x"),
                            member("package/.gitignore", b"node_modules\n"), member("package/dir/", kind=tarfile.DIRTYPE),
                            member("package/fifo", kind=tarfile.FIFOTYPE)]))

# --- publish bodies (libnpmpublish shape) for the Registry packages
for version_dir in sorted({os.path.dirname(p) for p in files(pkg_root, "package.json")}):
    manifest = load_json(os.path.join(version_dir, "package.json"))
    if not isinstance(manifest, dict):
        continue
    entries = [member("package/" + os.path.relpath(p, version_dir), read(p)) for p in files(version_dir)]
    tarball = tgz(entries)
    name, version = manifest["name"], manifest["version"]
    unscoped = name.split("/")[-1]
    doc = dict(manifest, _id=f"{name}@{version}", dist={
        "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode(),
        "shasum": hashlib.sha1(tarball).hexdigest(), "tarball": f"http://127.0.0.1:4873/{name}/-/{unscoped}-{version}.tgz"})
    body = {"_id": name, "name": name, "access": None, "dist-tags": {"latest": version}, "versions": {version: doc},
            "_attachments": {f"{unscoped}-{version}.tgz": {"content_type": "application/octet-stream",
                                                           "data": base64.b64encode(tarball).decode(),
                                                           "length": len(tarball)}}}
    put("publish", json.dumps(body))
    bundle = next(bundles(), None)
    if bundle is not None:
        body["_attachments"][f"{unscoped}-{version}.sigstore"] = {
            "content_type": bundle.get("mediaType"), "data": json.dumps(bundle), "length": len(json.dumps(bundle))}
        put("publish", json.dumps(body))

# --- TUF metadata
for p in files(VENDOR_TUF, ".json"):
    doc = load_json(p)
    if isinstance(doc, dict) and "signed" in doc:
        put("tuf", read(p))

# --- ECDSA under prepared keys, and the divstep inverse (Fuzz/Targets/ecdsa.swift)
P256_ORDER = bytes.fromhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
P384_ORDER = bytes.fromhex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")
for order in (P256_ORDER, P384_ORDER):
    put("ecdsa", b"\x00" + order + (order[:-1] + bytes([order[-1] - 2])))  # n - 2
    put("ecdsa", b"\x00" + order + bytes(len(order) - 1) + b"\x03")
for pick, length in ((1, 32), (3, 48)):
    digest = hashlib.sha512(bytes([pick])).digest()[:length]
    put("ecdsa", bytes([pick]) + digest)  # a valid signature
    put("ecdsa", bytes([pick | 8]) + digest + b"\x01")  # one bit flipped inside the signature

print("fuzz seeds: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

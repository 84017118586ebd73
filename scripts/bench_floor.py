"""The floor of a full verification, for scripts/bench.py: the cryptography the installed tree needs.

`verify-bench floor` counts, from the tree's own attestation responses (one per distinct
name@version: a version placed at several paths is verified once), every signature verification the
consumer must do (Fulcio leaf under its P-384 issuer, with that issuer's key prepared once as the consumer
prepares it, each distinct authority link once, SCTs, SETs,
checkpoints, DSSE, one registry signature per version) and times one real instance of each
kind with the same OpenSSL (OpenSSLCrypto), in CPU time. SHA-512 and gunzip of exactly the installed tarballs
are timed here in-process (hashlib and zlib link the same libcrypto and zlib). The floor is the sum
divided by the cores the process may use.
"""
import hashlib, json, os, subprocess, sys, time, urllib.parse, urllib.request, zlib

def fetch(url, accept="application/json"):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as response:
        return response.read()

def escaped(name):
    """npm's escapedName: a scoped name keeps its @ and escapes the slash."""
    return name.replace("/", "%2f") if name.startswith("@") else urllib.parse.quote(name, safe="")

def collect(registry, packages, folder):
    """The keys, one attestations response per package, and one real registry signature, into `folder`."""
    registry = registry.rstrip("/") + "/"
    os.makedirs(f"{folder}/attestations", exist_ok=True)
    open(f"{folder}/keys.json", "wb").write(fetch(registry + "-/npm/v1/keys"))
    for index, package in enumerate(packages):
        body = fetch(f"{registry}-/npm/v1/attestations/{escaped(package['name'])}@{package['version']}")
        open(f"{folder}/attestations/{index:06d}.json", "wb").write(body)
    first = packages[0]
    packument = json.loads(fetch(registry + escaped(first["name"]), "application/vnd.npm.install-v1+json"))
    dist = packument["versions"][first["version"]]["dist"]
    signature = dist["signatures"][0]
    sample = {"keyid": signature["keyid"], "sig": signature["sig"],
              "message": f"{first['name']}@{first['version']}:{dist['integrity']}"}
    json.dump(sample, open(f"{folder}/registry-signature.json", "w"))

def tarball_work(cache):
    """Seconds of SHA-512 and of gunzip over every tarball in the cache folder, in this process."""
    blobs = [open(os.path.join(d, f), "rb").read() for d, _, fs in os.walk(cache) for f in fs]
    blobs = [b for b in blobs if b[:2] == b"\x1f\x8b"]
    t0 = time.thread_time()  # CPU time: other processes on a loaded machine do not inflate it
    for blob in blobs:
        hashlib.sha512(blob).digest()
    t1 = time.thread_time()
    for blob in blobs:
        zlib.decompress(blob, 47)
    t2 = time.thread_time()
    return {"tarballs": len(blobs), "mib": sum(map(len, blobs)) / 1048576, "sha512": t1 - t0, "gunzip": t2 - t1}

def distinct(packages):
    """One entry per name@version: a version placed at several paths needs its verifications once."""
    seen = {}
    for package in packages:
        seen.setdefault((package["name"], package["version"]), package)
    return list(seen.values())

def measure(bin_dir, registry, root, packages, cache, folder):
    """The floor of this tree: {"operations": [...], "serial_seconds", "sha512", "gunzip", "cores", "seconds"}."""
    collect(registry, distinct(packages), folder)
    p = subprocess.run([f"{bin_dir}/verify-bench", "floor", "--trusted-root", root, "--registry-keys", f"{folder}/keys.json",
                        "--registry-signature", f"{folder}/registry-signature.json", f"{folder}/attestations"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: verify-bench floor failed ({p.returncode}): {p.stderr[-2000:]}")
    floor = json.loads(p.stdout)
    floor.update(tarball_work(cache))
    floor["cores"] = len(os.sched_getaffinity(0))
    floor["seconds"] = (floor["serial_seconds"] + floor["sha512"] + floor["gunzip"]) / floor["cores"]
    return floor

def describe(floor):
    """Compact lines: the floor and the work it sums, per kind."""
    ops = [f"{o['label']} {o['count']}x{o['seconds_each'] * 1e6:.0f}us={o['seconds']:.2f}s" for o in floor["operations"]]
    return [f"floor {floor['seconds']:.2f}s = (signatures {floor['serial_seconds']:.2f}s + SHA-512 {floor['sha512']:.2f}s"
            f" + gunzip {floor['gunzip']:.2f}s of {floor['mib']:.1f} MiB) / {floor['cores']} cores;"
            f" {floor['packages']} packages, {floor['bundles']} bundles",
            "floor work: " + ", ".join(ops)]

#!/usr/bin/env python3
"""make bench: verify-install vs the real npm CLI on generated registries.

For each N, generates a synthetic registry (fixture-registry generate), serves it with
fixture-registry on 127.0.0.1, and times, in the same run, several cold installs each of
  - verify-install (fresh cache, fresh node_modules, full integrity verification), and
  - npm install --ignore-scripts --no-audit --no-fund (fresh cache, fresh HOME).
Prints medians, peak RSS, the ratio, verify-install's own phase split, and the floor:
SHA-512 and gunzip of exactly the tarballs installed.

The full-verification section (N from BENCH_FULL_SIZES, default the largest size) generates a
registry where every version has registry signatures, a provenance attestation and the
registry's publish attestation (`fixture-registry generate --provenance`), serves it with its
fixture world (`fixture-registry serve`), and times in the same run, cold and warm:
  - verify-install install --trusted-root <world root> --require-provenance, and
  - npm install followed by npm audit signatures, with the world's environment (offline: TUF
    through the world's proxy); the bench fails unless npm reports every installed package
    with verified registry signatures and verified attestations.
  Our runs and npm's take turns in ABBA order (ours then npm's in even runs, npm's then ours in
  odd ones), so that a machine whose speed drifts during the section slows both alike.
Each full-verification section also prints the floor of the tree it installed (scripts/bench_floor.py:
the signature verifications the tree needs, counted from its attestations and timed per kind with
our OpenSSLCrypto by `verify-bench floor`, plus SHA-512 and gunzip of its tarballs, divided by the
cores) and our time as a multiple of it, and the CPU the world's server used during our runs: ours
plus its, over the cores, is a lower bound of our wall time on the machine, and the floor's CPU
plus the server's, over the cores, is the best multiple of the floor that a client making the same
requests could reach there. The scale section (N from BENCH_SCALE_SIZES, default "100 1000 3000", ours only) adds full
verification at more sizes and prints how time and peak RSS grow with N. Sections: BENCH_SECTIONS (default "bundles,plain,full,scale"). A machine-readable
summary of the full and scale sections goes to BENCH_SUMMARY (default <bin>/../bench-summary.json).

Work folders (projects and caches of both tools) live under $BENCH_DIR, default /dev/shm
(tmpfs) when present: on this machine's ext4, inode allocation after many recent deletions
(the kernel's `recently_deleted` scan) dominates both tools' profiles and varies from run to
run with the file system's history. BENCH_DIR=/tmp measures on disk.
"""
import json, os, re, shutil, ssl, statistics, subprocess, sys, tempfile, time
import bench_floor

def run_timed(cmd, cwd=None, env=None, cpu=False):
    """Wall seconds and peak RSS (KiB, via GNU time) of one command, and with cpu=True its user+sys
    CPU seconds too; exits on failure."""
    full = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", "/dev/stderr"] + cmd
    start = time.monotonic()
    p = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"bench: command failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    fields = p.stderr.strip().splitlines()[-1].split()
    if cpu:
        return wall, int(fields[1]), p.stdout, float(fields[2]) + float(fields[3])
    return wall, int(fields[1]), p.stdout

def start_registry(bin_dir, storage):
    proc = subprocess.Popen([f"{bin_dir}/fixture-registry", "serve", "--storage", storage, "--no-seed"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    return proc, json.loads(line)["registry"]

def fmt(seconds):
    return f"{seconds:.2f}s"

def bench(bin_dir, n, runs, npm):
    base = os.environ.get("BENCH_DIR") or ("/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    work = tempfile.mkdtemp(prefix=f"mochi-bench-{n}-", dir=base)
    try:
        storage, consumer = f"{work}/storage", f"{work}/consumer"
        t0 = time.monotonic()
        subprocess.run([f"{bin_dir}/fixture-registry", "generate", "--packages", str(n), "--storage", storage,
                        "--consumer", consumer], check=True, stdout=subprocess.DEVNULL)
        print(f"\n== N={n}: generated in {fmt(time.monotonic() - t0)} under {work}", flush=True)
        server, url = start_registry(bin_dir, storage)
        try:
            ours, theirs, phases, count = [], [], [], 0
            for i in range(runs):
                app, cache = f"{work}/ours-{i}", f"{work}/ours-cache-{i}"
                shutil.copytree(consumer, app)
                wall, rss, out = run_timed([f"{bin_dir}/verify-install", "--registry", url, "--prefix", app,
                                            "--cache", cache, "--json", "--quiet"])
                report = json.loads(out)["report"]
                count = len(report["packages"])
                ours.append((wall, rss)); phases.append(report["timings"])
                print(f"   verify-install run {i + 1}: {fmt(wall)}, {rss // 1024} MiB, {count} packages", flush=True)
                if npm:
                    app2, home = f"{work}/npm-{i}", f"{work}/npm-home-{i}"
                    shutil.copytree(consumer, app2)
                    env = dict(os.environ, HOME=home, npm_config_update_notifier="false")
                    wall, rss, _ = run_timed([npm, "install", "--registry", url, "--ignore-scripts", "--no-audit",
                                              "--no-fund", "--cache", f"{home}/cache", "--loglevel", "error"], cwd=app2, env=env)
                    theirs.append((wall, rss))
                    print(f"   npm install     run {i + 1}: {fmt(wall)}, {rss // 1024} MiB", flush=True)
            floor = bench_floor.tarball_work(f"{work}/ours-cache-0")
        finally:
            server.terminate(); server.wait()
        med = lambda xs: statistics.median(xs)
        o_wall, o_rss = med([w for w, _ in ours]), max(r for _, r in ours)
        print(f"-- N={n} ({count} packages installed), median of {runs}:")
        print(f"   verify-install cold: {fmt(o_wall)}  peak {o_rss // 1024} MiB")
        split = {k: med([p.get(k, 0) for p in phases]) for k in ["resolve", "fetch+verify+unpack", "place"]}
        print("   wall phases: " + ", ".join(f"{k} {fmt(v)}" for k, v in split.items()))
        summed = {k[4:]: med([p.get(k, 0) for p in phases]) for k in sorted({k for p in phases for k in p if k.startswith("sum:")})}
        print("   work summed over concurrent tasks (overlaps the phases): " + ", ".join(f"{k} {fmt(v)}" for k, v in summed.items()))
        if theirs:
            t_wall, t_rss = med([w for w, _ in theirs]), max(r for _, r in theirs)
            print(f"   npm install cold:    {fmt(t_wall)}  peak {t_rss // 1024} MiB")
            print(f"   ratio: verify-install is {t_wall / o_wall:.1f}x faster than npm install")
        print(f"   floor: SHA-512 {fmt(floor['sha512'])} + gunzip {fmt(floor['gunzip'])} over {floor['mib']:.1f} MiB of tarballs")
    finally:
        shutil.rmtree(work, ignore_errors=True)

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.environ.get("VECTORS_DIR") or os.path.normpath(os.path.join(SCRIPTS, "../../shared/vectors"))
BUNDLE_TRIALS, OURS_REPEAT, JS_REPEAT = 3, 300, 150
NPM_PROVENANCE = "slsa-verifier/provenance-npm-test-cli-v1-prega.tgz.json"

def bundle_cases(work):
    """The bundles both verifiers time, read from the vectors at run time: (label, options, artifact or None)."""
    conformance = os.path.join(VECTORS, "sigstore-conformance/bundle-verify")
    # DSSE in-toto bundle v0.3, Rekor v1 dsse entry with inclusion proof and checkpoint, Fulcio
    # certificate with SCT; both verifiers accept it under the production root.
    yield ("conformance happy-path-intoto-in-dsse-v3", [
        "--bundle", f"{conformance}/happy-path-intoto-in-dsse-v3/bundle.sigstore.json",
        "--trusted-root", os.path.join(VECTORS, "public-good/trusted_root.sigstore-python-embedded.json"),
        "--certificate-identity", "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
                                  ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
        "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com"], f"{conformance}/a.txt")
    # What `npm audit signatures` verifies: the real SLSA provenance bundle (v0.2, Rekor intoto/0.0.2
    # with inclusion proof) of sigstore@2.3.1 from the registry's attestations response, under npm's
    # TUF root. No artifact: npm checks the subject against the tarball integrity separately.
    npm_real = os.path.join(VECTORS, "npm-real")
    case = next(c for c in json.load(open(f"{npm_real}/attestation-cases.json"))["cases"] if c["file"] == NPM_PROVENANCE)
    response = json.load(open(f"{npm_real}/{NPM_PROVENANCE}"))
    bundle = next(a["bundle"] for a in response["attestations"] if a["predicateType"].startswith("https://slsa.dev/provenance/"))
    path = os.path.join(work, "npm-provenance.sigstore.json")
    with open(path, "w") as f:
        json.dump(bundle, f)
    yield (f"npm provenance of {case['package']}", [
        "--bundle", path, "--trusted-root", os.path.join(VECTORS, "public-good/trusted_root.json"),
        "--certificate-identity", case["provenanceSignerSAN"], "--certificate-oidc-issuer", case["provenanceIssuer"]], None)

def sigstore_js_modules(npm):
    """npm's own node_modules folder when it bundles sigstore-js, else None."""
    if not npm:
        return None
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=True).stdout.strip()
    modules = os.path.join(root, "npm", "node_modules")
    return modules if os.path.isdir(os.path.join(modules, "sigstore")) else None

def bench_bundles(bin_dir, npm):
    """Bundles per second, single core: verify-bench vs sigstore-js on the same bundles, alternating trials, medians."""
    if not os.path.isdir(VECTORS):
        sys.exit(f"bench: vectors not found at {VECTORS} (set VECTORS_DIR)")
    if not os.access(f"{bin_dir}/verify-bench", os.X_OK):
        sys.exit(f"bench: {bin_dir}/verify-bench is missing: build the VerifyBench target (swift build -c release)")
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    modules = sigstore_js_modules(npm)
    work = tempfile.mkdtemp(prefix="mochi-bench-bundles-")
    try:
        print(f"\n== bundle verification (single core{'' if pin else '; taskset missing, not pinned'})", flush=True)
        for label, options, artifact in bundle_cases(work):
            ours, theirs, versions = [], [], {}
            for i in range(BUNDLE_TRIALS):
                _, rss, out = run_timed(pin + [f"{bin_dir}/verify-bench", "--repeat", str(OURS_REPEAT)] + options
                                        + ([artifact] if artifact else []))
                ours.append(json.loads(out)["per_second"])
                print(f"   {label}: verify-bench trial {i + 1}: {ours[-1]:.0f} bundles/s, peak {rss // 1024} MiB", flush=True)
                if modules:
                    _, rss, out = run_timed(pin + ["node", os.path.join(SCRIPTS, "bench_sigstore_js.js"), "--repeat", str(JS_REPEAT)]
                                            + options, env=dict(os.environ, NPM_MODULES=modules))
                    versions = json.loads(out); theirs.append(versions["per_second"])
                    print(f"   {label}: sigstore-js  trial {i + 1}: {theirs[-1]:.0f} bundles/s, peak {rss // 1024} MiB", flush=True)
            o = statistics.median(ours)
            print(f"-- {label}, median of {BUNDLE_TRIALS}:")
            print(f"   ours (verify-bench, OpenSSL): {o:.0f} bundles/s")
            if theirs:
                t = statistics.median(theirs)
                print(f"   sigstore-js {versions['sigstore']} (@sigstore/verify {versions['verify']}, npm's copy): {t:.0f} bundles/s")
                print(f"   ratio: ours is {o / t:.1f}x sigstore-js")
            else:
                print("   sigstore-js: not measured (npm or its bundled sigstore not found)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

# MARK: - Full verification: registry signatures + provenance + publish attestations

AUDIT_SIGNATURES = re.compile(r"(\d+) packages? ha(?:s an?|ve) verified registry signatures?")
AUDIT_ATTESTATIONS = re.compile(r"(\d+) packages? ha(?:s an?|ve) verified attestations?")

def start_world(bin_dir, storage, log):
    """`fixture-registry serve --storage` (registry, Sigstore services, TUF proxy); returns (process, its JSON line)."""
    proc = subprocess.Popen([f"{bin_dir}/fixture-registry", "serve", "--storage", storage, "--no-seed", "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        sys.exit(f"bench: fixture-registry serve --storage {storage} exited ({proc.returncode}) before listening:\n"
                 + open(log).read()[-2000:])
    return proc, json.loads(line)

def installed_by_npm(app):
    """Package nodes npm placed (node_modules/.package-lock.json), the count `npm audit signatures` must cover."""
    lock = json.load(open(f"{app}/node_modules/.package-lock.json"))
    return sum(1 for path in lock["packages"] if path.startswith("node_modules/") or "/node_modules/" in path)

def npm_install_and_audit(npm, app, env, label):
    """Times `npm install` then `npm audit signatures`; fails loudly unless every installed package verified."""
    t_install, rss, _ = run_timed([npm, "install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel", "error"],
                                  cwd=app, env=env)
    installed = installed_by_npm(app)
    t_audit, rss2, out = run_timed([npm, "audit", "signatures"], cwd=app, env=env)
    signatures, attestations = AUDIT_SIGNATURES.search(out), AUDIT_ATTESTATIONS.search(out)
    signed, attested = int(signatures.group(1)) if signatures else 0, int(attestations.group(1)) if attestations else 0
    if signed != installed or attested != installed:
        sys.exit(f"bench: {label}: npm installed {installed} packages but `npm audit signatures` verified registry signatures "
                 f"of {signed} and attestations of {attested}; expected all {installed}. Its output:\n{out[-3000:]}")
    return t_install, t_audit, max(rss, rss2), installed

def process_cpu(pid):
    """User + system CPU seconds the process `pid` (every thread) has used so far; None where /proc has no answer."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None

def run_ours(bin_dir, url, root, app, cache, label):
    wall, rss, out, cpu = run_timed([f"{bin_dir}/verify-install", "install", "--registry", url, "--trusted-root", root,
                                     "--require-provenance", "--prefix", app, "--cache", cache, "--json", "--quiet"], cpu=True)
    report = json.loads(out)["report"]
    count, verified = len(report["packages"]), report["verified"]
    if verified["registrySignatures"] != count or verified["provenance"] != count:
        sys.exit(f"bench: {label}: verify-install installed {count} packages but verified registry signatures of "
                 f"{verified['registrySignatures']} and provenance of {verified['provenance']}; expected all {count}")
    return wall, rss, dict(report["timings"], cpu=cpu), report["packages"]

def phase_line(phases):
    """Wall phases and work summed over concurrent tasks (medians), on one line."""
    med = statistics.median
    split = {k: med([p.get(k, 0) for p in phases]) for k in ["resolve", "fetch+verify+unpack", "place"]}
    summed = {k[4:]: med([p.get(k, 0) for p in phases]) for k in sorted({k for p in phases for k in p if k.startswith("sum:")})}
    return ("wall " + ", ".join(f"{k} {fmt(v)}" for k, v in split.items())
            + "; summed work " + ", ".join(f"{k} {fmt(v)}" for k, v in summed.items()))

def time_ours(bin_dir, url, root, consumer, work, i, results, server_pid):
    """Run i of ours: cold (fresh cache) then warm (same cache, fresh project), into {kind: [(wall, rss, timings)]};
    returns the packages. The timings also get the CPU the world's server (`server_pid`) used meanwhile: on a
    machine of few cores it competes with ours for them."""
    cache, packages = f"{work}/ours-cache-{i}", []
    for kind in ["cold", "warm"]:
        app = f"{work}/ours-{kind}-{i}"
        shutil.copytree(consumer, app)
        before = process_cpu(server_pid)
        wall, rss, timings, packages = run_ours(bin_dir, url, root, app, cache, f"verify-install {kind} run {i + 1}")
        after = process_cpu(server_pid)
        if before is not None and after is not None:
            timings["server_cpu"] = after - before
        results[kind].append((wall, rss, timings))
        print(f"   verify-install {kind} run {i + 1}: {fmt(wall)}, {rss // 1024} MiB, {len(packages)} packages, "
              "all with verified signatures and provenance", flush=True)
        shutil.rmtree(app, ignore_errors=True)
    return packages

def time_npm(npm, world, consumer, work, i, results):
    """Run i of npm install + npm audit signatures: cold (a copy of the cache as serve seeded it) then warm,
    into {kind: [(install, audit, rss)]}."""
    seeded = f"{work}/npm-cache-seed"  # npm's cache as serve seeded it (the world's TUF root)
    if not os.path.exists(seeded):
        shutil.copytree(world["env"]["npm_config_cache"], seeded)
    home, npm_cache = f"{work}/npm-home-{i}", f"{work}/npm-cache-{i}"
    shutil.copytree(seeded, npm_cache)
    env = {**os.environ, **world["env"], "HOME": home, "npm_config_cache": npm_cache}
    for kind in ["cold", "warm"]:
        app = f"{work}/npm-{kind}-{i}"
        shutil.copytree(consumer, app)
        t_install, t_audit, rss, installed = npm_install_and_audit(npm, app, env, f"npm {kind} run {i + 1}")
        results[kind].append((t_install, t_audit, rss))
        print(f"   npm {kind} run {i + 1}: install {fmt(t_install)} + audit signatures {fmt(t_audit)}, "
              f"{rss // 1024} MiB, {installed} packages, all with verified signatures and attestations", flush=True)
        shutil.rmtree(app, ignore_errors=True)

def summarize_full(n, packages, ours, theirs, floor, runs):
    """Prints the section's compact summary and returns it as a dict (for the summary file)."""
    med = statistics.median
    row = {"n": n, "packages": packages, "runs": runs, "floor": floor, "load": os.getloadavg()[0]}
    print(f"-- full verification, N={n} ({packages} packages), median of {runs}, load {row['load']:.1f}:")
    for line in bench_floor.describe(floor):
        print(f"   {line}")
    for kind in ["cold", "warm"]:
        wall, rss = med([w for w, _, _ in ours[kind]]), max(r for _, r, _ in ours[kind])
        cpu = med([t["cpu"] for _, _, t in ours[kind]])
        serial = floor["seconds"] * floor["cores"]
        row[kind] = {"seconds": wall, "peak_mib": rss / 1024, "floor_multiple": wall / floor["seconds"],
                     "cpu_seconds": cpu, "cpu_floor_multiple": cpu / serial}
        extra = f", {wall / row['cold']['seconds']:.2f}x cold" if kind == "warm" else ""
        print(f"   ours {kind}: {fmt(wall)} = {wall / floor['seconds']:.2f}x floor, peak {rss // 1024} MiB{extra}; "
              f"CPU {fmt(cpu)} = {cpu / serial:.2f}x the floor's CPU {fmt(serial)}")
        served = [t["server_cpu"] for _, _, t in ours[kind] if "server_cpu" in t]
        if len(served) == len(ours[kind]):
            server = med(served)
            busy = (cpu + server) / floor["cores"]
            row[kind].update({"server_cpu_seconds": server, "busy_bound_seconds": busy})
            print(f"   ours {kind}: the world's server used {fmt(server)} of CPU meanwhile; (ours + its) / {floor['cores']} cores "
                  f"= {fmt(busy)}, a lower bound of the wall time here (ours is {wall / busy:.2f}x it)")
            # The server shares the cores: a client that made these requests and did nothing but the
            # floor's own work could not finish before (the floor's CPU + the server's) / cores.
            best = (serial + server) / floor["cores"]
            row[kind]["floor_and_server_seconds"] = best
            print(f"   ours {kind}: (the floor's CPU {fmt(serial)} + the server's {fmt(server)}) / {floor['cores']} cores = "
                  f"{fmt(best)} = {best / floor['seconds']:.2f}x floor: the best multiple a client making these requests reaches here")
        print(f"   ours {kind}: " + phase_line([t for _, _, t in ours[kind]]))
        if theirs:
            install, audit = med([t for t, _, _ in theirs[kind]]), med([a for _, a, _ in theirs[kind]])
            both, peak = med([t + a for t, a, _ in theirs[kind]]), max(r for _, _, r in theirs[kind])
            row[f"npm_{kind}"] = {"install": install, "audit": audit, "together": both, "peak_mib": peak / 1024}
            print(f"   npm {kind}: install {fmt(install)} + audit signatures {fmt(audit)} = {fmt(both)}, peak {peak // 1024} MiB;"
                  f" ours is {both / wall:.1f}x faster than both, {install / wall:.1f}x than npm install alone")
    return row

def bench_full(bin_dir, n, runs, npm):
    base = os.environ.get("BENCH_DIR") or ("/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    work = tempfile.mkdtemp(prefix=f"mochi-bench-full-{n}-", dir=base)
    try:
        storage, consumer = f"{work}/storage", f"{work}/consumer"
        command = [f"{bin_dir}/fixture-registry", "generate", "--provenance", "--packages", str(n), "--storage", storage,
                   "--consumer", consumer]
        t0 = time.monotonic()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        print(f"\n== full verification, N={n}: generated with provenance in {fmt(time.monotonic() - t0)} "
              f"({' '.join(command[1:])})", flush=True)
        server, world = start_world(bin_dir, storage, f"{work}/serve.log")
        try:
            url, root = world["registry"], world["trustedRoot"]
            # Our runs and npm's take turns, in ABBA order (ours first in even runs, npm first in odd
            # ones): a machine whose speed drifts over the minutes of a section weighs on both alike
            # (run one after the other, npm's three runs of one bench took 35.8 s, 43.7 s and
            # 45.0 s), and so does the slow spell after a memory-heavy run (ours ran about 15% slower
            # right after npm's install and audit on this machine).
            ours, theirs, packages = {"cold": [], "warm": []}, ({"cold": [], "warm": []} if npm else None), []
            for i in range(runs):
                if npm and i % 2 == 1:
                    time_npm(npm, world, consumer, work, i, theirs)
                packages = time_ours(bin_dir, url, root, consumer, work, i, ours, server.pid)
                if npm and i % 2 == 0:
                    time_npm(npm, world, consumer, work, i, theirs)
            floor = bench_floor.measure(bin_dir, url, root, packages, f"{work}/ours-cache-0", f"{work}/floor")
        finally:
            server.terminate(); server.wait()
        return summarize_full(n, len(packages), ours, theirs, floor, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)

def print_scaling(rows):
    """Time and peak RSS of the cold full verification per N, and their growth from the previous N."""
    if len(rows) < 2:
        return
    print("\n== scaling, full verification cold (ours): N, packages, time, ms/package (CPU), peak, growth vs previous N")
    previous = None
    for row in sorted(rows, key=lambda r: r["n"]):
        cold = row["cold"]
        growth = "" if previous is None else (f"; packages x{row['packages'] / previous['packages']:.2f}, time "
                                              f"x{cold['seconds'] / previous['cold']['seconds']:.2f}, peak "
                                              f"x{cold['peak_mib'] / previous['cold']['peak_mib']:.2f}")
        print(f"   N={row['n']}: {row['packages']} packages, {fmt(cold['seconds'])}, "
              f"{cold['seconds'] * 1000 / row['packages']:.2f} ms/package (CPU {cold['cpu_seconds'] * 1000 / row['packages']:.2f}), "
              f"peak {cold['peak_mib']:.0f} MiB, {cold['floor_multiple']:.2f}x floor{growth}")
        previous = row

def print_machine(npm):
    """One line on what the figures depend on, so runs on other machines can be compared."""
    def version(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=30).stdout.strip() or "?"
        except (OSError, subprocess.SubprocessError):
            return "?"
    node = version(["node", "--version"])
    npm_version = version([npm, "--version"]) if npm else "absent"
    print(f"== machine: {len(os.sched_getaffinity(0))} cores, {ssl.OPENSSL_VERSION}, node {node}, npm {npm_version}, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)

def main():
    bin_dir, sizes, runs = sys.argv[1], [int(s) for s in sys.argv[2].split()], int(sys.argv[3])
    full_sizes = [int(s) for s in (os.environ.get("BENCH_FULL_SIZES") or " ".join(str(n) for n in sizes[-1:])).split()]
    scale_sizes = [int(s) for s in (os.environ.get("BENCH_SCALE_SIZES") or "100 1000 3000").split()]
    sections = set((os.environ.get("BENCH_SECTIONS") or "bundles,plain,full,scale").split(","))
    npm = shutil.which("npm")
    print_machine(npm)
    if not npm:
        print("bench: npm not found; timing verify-install alone")
    if "bundles" in sections:
        bench_bundles(bin_dir, npm)
    if "plain" in sections:
        for n in sizes:
            bench(bin_dir, n, runs, npm)
    rows = []
    if "full" in sections:
        for n in full_sizes:
            rows.append(bench_full(bin_dir, n, runs, npm))
    if "scale" in sections:
        for n in [n for n in scale_sizes if n not in full_sizes]:
            rows.append(bench_full(bin_dir, n, runs, None))
        print_scaling(rows)
    summary = os.environ.get("BENCH_SUMMARY") or os.path.join(bin_dir, "..", "bench-summary.json")
    with open(summary, "w") as f:
        json.dump({"full": rows, "machine": {"cores": len(os.sched_getaffinity(0)), "load": os.getloadavg()}}, f, indent=1)
    print(f"\nsummary: {os.path.abspath(summary)}")

if __name__ == "__main__":
    main()

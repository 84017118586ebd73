#!/usr/bin/env python3
"""make bench: verify-install vs the real npm CLI on generated registries.

For each N, generates a synthetic registry (fixture-registry generate), serves it with
fixture-registry on 127.0.0.1, and times, in the same run, several cold installs each of
  - verify-install (fresh cache, fresh node_modules, full integrity verification), and
  - npm install --ignore-scripts --no-audit --no-fund (fresh cache, fresh HOME).
Prints medians, peak RSS, the ratio, verify-install's own phase split, and the floor:
SHA-512 and gunzip of exactly the tarballs installed.

Work folders (projects and caches of both tools) live under $BENCH_DIR, default /dev/shm
(tmpfs) when present: on this machine's ext4, inode allocation after many recent deletions
(the kernel's `recently_deleted` scan) dominates both tools' profiles and varies from run to
run with the file system's history. BENCH_DIR=/tmp measures on disk.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

def run_timed(cmd, cwd=None, env=None):
    """Wall seconds and peak RSS (KiB, via GNU time) of one command; raises on failure."""
    full = ["/usr/bin/time", "-f", "%e %M", "-o", "/dev/stderr"] + cmd
    start = time.monotonic()
    p = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"bench: command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss = int(p.stderr.strip().splitlines()[-1].split()[1])
    return wall, rss, p.stdout

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
            floor = measure_floor(f"{work}/ours-cache-0")
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

def measure_floor(cache):
    files = [os.path.join(d, f) for d, _, fs in os.walk(cache) for f in fs]
    blob = b"".join(open(f, "rb").read() for f in files)
    out = {"mib": len(blob) / 1048576}
    for key, cmd in [("sha512", ["openssl", "dgst", "-sha512"]), ("gunzip", ["gzip", "-dc"])]:
        t0 = time.monotonic()
        subprocess.run(cmd, input=blob, stdout=subprocess.DEVNULL, check=True)
        out[key] = time.monotonic() - t0
    return out

def main():
    bin_dir, sizes, runs = sys.argv[1], [int(s) for s in sys.argv[2].split()], int(sys.argv[3])
    npm = shutil.which("npm")
    if not npm:
        print("bench: npm not found; timing verify-install alone")
    for n in sizes:
        bench(bin_dir, n, runs, npm)

if __name__ == "__main__":
    main()

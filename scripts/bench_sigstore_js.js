#!/usr/bin/env node
// make bench: sigstore-js bundle verification throughput, the reference for verify-bench.
//
// Loads the sigstore-js modules bundled inside the installed npm CLI (`$(npm root -g)/npm/node_modules`,
// or NPM_MODULES), builds one Verifier from the trusted root (as `sigstore.createVerifier` does, minus
// TUF), then verifies the same bundle REPEAT times with the same identity policy as `verify-bench`.
// Each run does what `sigstore.verify` does per bundle, plus JSON.parse of the bundle text (our side
// decodes bytes each run too): bundleFromJSON, toSignedEntity, Verifier.verify.
// Prints {"verified": N, "seconds": S, "per_second": R, "sigstore": version, "verify": version} on stdout.
//
// usage: bench_sigstore_js.js --bundle F --trusted-root F --certificate-identity ID
//          --certificate-oidc-issuer URL [--repeat N] [--warmup N]
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function parseArgs(argv) {
  const args = { repeat: 200, warmup: 20 };
  const names = { '--bundle': 'bundle', '--trusted-root': 'trustedRoot', '--certificate-identity': 'identity',
    '--certificate-oidc-issuer': 'issuer', '--repeat': 'repeat', '--warmup': 'warmup' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) fail(`unknown or incomplete option ${argv[i]}`, 2);
    args[key] = argv[i + 1];
  }
  for (const key of ['bundle', 'trustedRoot', 'identity', 'issuer']) {
    if (!args[key]) fail(`missing --${key}`, 2);
  }
  args.repeat = Number(args.repeat); args.warmup = Number(args.warmup);
  if (!(args.repeat > 0) || !(args.warmup >= 0)) fail(`--repeat must be > 0 and --warmup >= 0`, 2);
  return args;
}

function fail(message, code) {
  process.stderr.write(`bench_sigstore_js: ${message}\n`);
  process.exit(code);
}

function npmModules() {
  if (process.env.NPM_MODULES) return process.env.NPM_MODULES;
  const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  return path.join(root, 'npm', 'node_modules');
}

function load(modules, name) {
  const dir = path.join(modules, name);
  try {
    return { module: require(dir), version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version };
  } catch (error) {
    return fail(`cannot load ${name} from ${dir}: ${error.message}`, 2);
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const modules = npmModules();
  const sigstore = load(modules, 'sigstore');
  const verify = load(modules, '@sigstore/verify');
  const { bundleFromJSON } = load(modules, '@sigstore/bundle').module;
  const { TrustedRoot } = load(modules, '@sigstore/protobuf-specs').module;

  const bundleText = fs.readFileSync(args.bundle, 'utf8');
  const trustedRoot = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(args.trustedRoot, 'utf8')));
  const verifier = new verify.module.Verifier(verify.module.toTrustMaterial(trustedRoot));
  // The policy sigstore's createVerificationPolicy builds from certificateIdentityURI + certificateIssuer.
  const policy = { subjectAlternativeName: args.identity, extensions: { issuer: args.issuer } };

  const once = (run) => {
    try {
      const entity = verify.module.toSignedEntity(bundleFromJSON(JSON.parse(bundleText)));
      verifier.verify(entity, policy);
    } catch (error) {
      fail(`${args.bundle} failed verification on run ${run + 1}: ${error.code || ''} ${error.message}`, 1);
    }
  };
  for (let run = 0; run < args.warmup; run++) once(run);
  const start = process.hrtime.bigint();
  for (let run = 0; run < args.repeat; run++) once(args.warmup + run);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ verified: args.repeat, seconds, per_second: args.repeat / seconds,
    sigstore: sigstore.version, verify: verify.version }));
}

main();

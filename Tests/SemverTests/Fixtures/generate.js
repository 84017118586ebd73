#!/usr/bin/env node
// Generates semver-table.json: the expected answers for the Swift `Semver` module, computed by
// the node-semver and npm-pick-manifest that ship inside the installed npm CLI, so the Swift
// port is checked against npm's own behaviour rather than against hand-written expectations.
//
// Regenerate (from the repository root):
//
//   node Tests/SemverTests/Fixtures/generate.js > Tests/SemverTests/Fixtures/semver-table.json
//
// By default the modules are taken from `$(npm root -g)/npm/node_modules`; pass another
// node_modules directory as the first argument to use a different npm. The output is
// deterministic (the fuzz section uses a fixed seed), so a diff shows exactly what changed.
//
// Sections of the table:
//   versions       text -> semver.valid (strict and loose) and the parsed parts
//   ordering       semver.compare for every pair of a list of versions
//   ranges         text -> semver.validRange and satisfies() against rangeVersions, in four
//                  modes: strict, includePrerelease, loose, loose + includePrerelease
//   maxSatisfying  semver.maxSatisfying / minSatisfying over small version lists
//   fuzz           random range-like texts (fixed seed), checked like `ranges`
//   picker         npm-pick-manifest's choice (or error code) for small packuments
//
// The node, semver and npm-pick-manifest versions used are recorded at the top of the output.

'use strict'
const path = require('path')
const { execSync } = require('child_process')

const modules = process.argv[2] ||
  path.join(execSync('npm root -g').toString().trim(), 'npm', 'node_modules')
const semver = require(path.join(modules, 'semver'))
const pickManifest = require(path.join(modules, 'npm-pick-manifest'))
const packageVersion = (name) => require(path.join(modules, name, 'package.json')).version

const MODES = [
  { name: 'strict', options: {} },
  { name: 'includePrerelease', options: { includePrerelease: true } },
  { name: 'loose', options: { loose: true } },
  { name: 'looseIncludePrerelease', options: { loose: true, includePrerelease: true } },
]

const validRange = (range, options) => {
  const result = semver.validRange(range, options)
  return result === null ? null : result
}
const bits = (list, predicate) => list.map((item) => (predicate(item) ? '1' : '0')).join('')

// MARK: - Versions

const versionTexts = [
  '0.0.0', '1.2.3', 'v1.2.3', ' v1.2.3 ', '\t1.2.3\n', '=1.2.3', 'v=1.2.3', '=v1.2.3', 'vv1.2.3',
  'v 1.2.3', '= 1.2.3', '1.2', '1', '', ' ', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '00.0.0',
  '1.2.3-0', '1.2.3-00', '1.2.3-01', '1.2.3-alpha', '1.2.3-alpha.1', '1.2.3-alpha.01', '1.2.3-0a',
  '1.2.3-a-b', '1.2.3--', '1.2.3-', '1.2.3-.a', '1.2.3-a..b', '1.2.3-a.', '1.2.3alpha', '1.2.3alpha.1',
  '1.2.3-alpha+build', '1.2.3+build', '1.2.3+build.1.2', '1.2.3+', '1.2.3+a+b', '1.2.3+a..b',
  '1.2.3+0001', '1.2.3-beta+exp.sha.5114f85', '1.2.3-rc.1+build.1', '1.2.3+build-1',
  '1.2.3-x.7.z.92', '1.2.3-DEV-SNAPSHOT', '1.2.3-SNAPSHOT-123', '1.0.0-0A.is.legal',
  '1.2.3 ', ' 1.2.3-beta ', '1.2.3\u00a0', '\ufeff1.2.3', '1.2.3\u0085', 'x.2.3', '1.x.3', '1.2.x',
  '*', '>1.2.3', '~1.2.3', '^1.2.3', '1.2.3 - 2.3.4', 'a.b.c', '-1.2.3', '1.-2.3', '1.2.3-+',
  '9007199254740991.0.0', '9007199254740992.0.0', '0.9007199254740991.0', '0.0.9007199254740992',
  '99999999999999999999.0.0', '0.0.0-9007199254740990', '0.0.0-9007199254740991',
  '0.0.0-9007199254740993', '0.0.0-00009007199254740993', '1.2.3-999999999999999999999',
  '1.2.3-' + 'a'.repeat(249), '1.2.3-' + 'a'.repeat(250), '1.2.3+' + 'b'.repeat(250),
  '1.2.3+' + 'b'.repeat(251), '1'.repeat(20) + '.0.0', '0.0.0-' + '1'.repeat(250),
  'v1.2.3-beta.1+sha', 'V1.2.3', '1.2.3-Ünïcode', '１.2.3',
]

const versions = versionTexts.map((text) => {
  const entry = { text, strict: semver.valid(text), loose: semver.valid(text, true) }
  const parsed = semver.parse(text)
  if (parsed) {
    entry.parts = {
      major: parsed.major,
      minor: parsed.minor,
      patch: parsed.patch,
      prerelease: parsed.prerelease.map(String),
      numeric: parsed.prerelease.map((id) => typeof id === 'number'),
      build: parsed.build,
    }
  }
  return entry
})

// MARK: - Ordering

const orderingVersions = [
  '0.0.0', '0.0.1', '0.1.0', '1.0.0-0', '1.0.0-1', '1.0.0-2', '1.0.0-10', '1.0.0-alpha',
  '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-alpha.1.1', '1.0.0-beta', '1.0.0-beta.2',
  '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0-RC.1', '1.0.0-rc.1+build.1', '1.0.0', '1.0.0+build',
  '1.0.0+0', '1.0.1', '1.1.0', '1.10.0', '1.2.0', '2.0.0', '10.0.0', '1.0.0-a-b', '1.0.0--',
  '1.0.0-a', '1.0.0-A', '1.0.0-Z', '1.0.0-z', '1.0.0-0a', '1.0.0-a0', '1.0.0-1a', '1.0.0-10a',
  '1.0.0-9', '1.0.0-9007199254740990', '1.0.0-9007199254740991', '1.0.0-9007199254740992',
  '1.0.0-9007199254740993', '1.0.0-9007199254740993.a', '1.0.0-9007199254740992.b',
  '9007199254740991.0.0',
]
const ordering = {
  versions: orderingVersions,
  // row i, column j: '<', '=' or '>' for semver.compare(versions[i], versions[j])
  matrix: orderingVersions.map((a) =>
    orderingVersions.map((b) => ['<', '=', '>'][semver.compare(a, b) + 1]).join('')),
}

// MARK: - Ranges

// Versions every range is tested against (as text, so invalid and loose-only ones count too).
const rangeVersions = [
  '0.0.0', '0.0.1', '0.0.2', '0.0.3-alpha', '0.1.0', '0.1.1', '0.1.2-beta', '0.2.0', '0.2.3', '0.9.9',
  '1.0.0-0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0',
  '1.1.9', '1.2.0-beta', '1.2.0', '1.2.2', '1.2.3-0', '1.2.3-alpha.1', '1.2.3-beta.2', '1.2.3-beta.10',
  '1.2.3', '1.2.3+build.5', '1.2.4-0', '1.2.4-alpha', '1.2.4', '1.2.9', '1.3.0-alpha', '1.3.0',
  '1.9.9', '2.0.0-0', '2.0.0-rc.1', '2.0.0', '2.0.1', '2.1.0', '2.9.9', '3.0.0-beta', '3.0.0',
  '3.4.5', '3.4.6-0', '3.4.6', '4.0.0', '10.0.0', '9007199254740991.0.0',
  'v1.2.3', '=1.2.3', ' 1.2.3 ', '01.2.3', '1.2.3beta', '1.2.3-beta.2+b', '1.2', '', 'not-a-version',
]

const ranges = [
  // any
  '', ' ', '*', 'x', 'X', 'x.x', 'x.x.x', '*.*.*', '>=0.0.0', '>=0.0.0-0', '>=0.0.0 <1', '* || 1.2.3',
  '1.2.3 || *', '', '>= 0.0.0', '>=0', '>=0.x', 'v*', '=*', '>=*', '<=*', '>*', '<*', '<x', '>x', '<=x',
  // exact and primitive comparators
  '1.2.3', '=1.2.3', 'v1.2.3', '=v1.2.3', '==1.2.3', 'vv1.2.3', '1.2.3-beta.2', '1.2.3+build',
  '>1.2.3', '>=1.2.3', '<1.2.3', '<=1.2.3', '> 1.2.3', '>=  1.2.3', '< =1.2.3', '> = 1.2.3',
  '>=1.2.3 <2.0.0', '>=1.2.3 <=1.2.3', '>1.2.3 <1.2.3', '>1.2.3-beta', '<1.2.3-beta', '<=1.2.3-beta.2',
  '>=1.2.3-beta.2 <1.2.4', '>=1.2.3-alpha.1 <1.3.0-0', '>=1.0.0-rc.1', '<2.0.0-0', '<2.0.0', '<0.0.0-0',
  '<0.0.0', '<0.0.0-0 || 1.2.3', '<0.0.0-0 || <0.0.0-0', '>=1.2.3 >=1.2.3', '1.2.3 1.2.3',
  '>1.0.0 <1.0.0', '!1.2.3', '>==1.2.3', '<>1.2.3', '=>1.2.3', '1.2.3-', '1.2.3--', '01.2.3',
  '1.2.3beta', '1.2.3-01', '1.2.3 foo', 'foo 1.2.3', 'foo', '1.2.3.4', '1.2.3 > 1.2.4',
  // x-ranges and partials
  '1', '1.x', '1.X', '1.*', '1.x.x', '1.*.*', '1.2', '1.2.x', '1.2.*', '1.x.3', '1.*.3', 'x.2.3', '*.2',
  '1.2.x-beta', '1.2.x+build', '1.x-beta', '1.2-beta', '0', '0.x', '0.0', '0.0.x', '=1.x', '=1.2',
  '>1', '>1.x', '>1.2', '>1.2.x', '>=1', '>=1.2', '>=1.2.x', '<1', '<1.2', '<1.2.x', '<=1', '<=1.2',
  '<=1.2.x', '<=1.x', '<=0.x', '>0.x', '>9007199254740990', '<=9007199254740990.x',
  '<=1.9007199254740991.x', '1.x.99999999999999999999', '^1.x.99999999999999999999', '1.x.0.0',
  '01', '1.02', '01.x', '^01', '^00.1.2', '~01.02', '>01.x', '1.x.x.x', 'x1', '1x', 'xx',
  // caret
  '^1.2.3', '^1.2.3-beta.2', '^1.2.3+build', '^1.2', '^1', '^1.x', '^1.2.x', '^0.2.3', '^0.2',
  '^0.2.3-beta', '^0.0.3', '^0.0.3-beta', '^0.0', '^0.0.0', '^0.0.x', '^0', '^0.x', '^0.1.x', '^*',
  '^x', '^x.x', '^ 1.2.3', '^  1.2.3', '^v1.2.3', '^=1.2.3', '^=v1.2.3', '^>1.2.3', '^~1.2.3', '^^1.2.3',
  '^1.2.3 ^2', '^1.2.3 || ^2.0.0', '^9007199254740991', '^9007199254740990', '^1.x.3', '^1.2.3-0',
  '^0.0.1-0', '^1.2.3beta', '^1.2.3-', '^',
  // tilde
  '~1.2.3', '~1.2.3-beta.2', '~1.2', '~1', '~1.x', '~1.2.x', '~0.2.3', '~0.0.3', '~0', '~0.0', '~*',
  '~x', '~> 1.2.3', '~>1.2.3', '~>1.2', '~> 1', '~ 1.2.3', '~  1.2.3', '~v1.2.3', '~=1.2.3', '~>=1.2.3',
  '~~1.2.3', '~ > 1', '~1.2.3 ~1.2.4', '~1.2.3+build', '~1.2.3-0', '~', '~>', '~ ', '~1.2.3beta',
  // hyphen ranges
  '1.2.3 - 2.3.4', '1.2.3 - 2.3', '1.2.3 - 2', '1.2 - 2.3.4', '1 - 2', '1.2.3 - 2.3.4-beta',
  '1.2.3-beta - 2.3.4', '1.2.3-beta.2 - 1.2.3', '* - 2', '1.2.3 - *', '* - *', 'x - 1.2', '1.x - 2.x',
  'v1.2.3 - v2.3.4', '=1.2.3 - =2.3.4', '1.2.3+build - 2.3.4+build', '1.2.3 -2.3.4', '1.2.3- 2.3.4',
  '1.2.3  -  2.3.4', '1.2.3 - 2.3.4 - 3', '1.2.3 - 2.3.4 || 4', '>1.2.3 - 2', '1.2.3 - >2',
  '1.2.3 - 2.3.4 5', ' 1.2.3 - 2.3.4 ', '1.2.3\t-\t2.3.4', '0.0.0 - 1', '1.2.3 - 9007199254740990',
  '1.2.3 - 9007199254740991', '1.2.3-beta - 2.3.4-beta', '1.2.3beta - 2', '01.2.3 - 02.3.4',
  // hyphen ranges valid in only some modes (the upper end is spelled differently in each)
  '1 - v=2.0.0', '0.1 - v=1.2.1', '1 - =2.0.0', '0.1 - 0.2.9007199254740991', 'x - 1.2.9007199254740991',
  // unions
  '1.2.3 || 2.3.4', '1.2.3||2.3.4', '1.2.3 ||2.3.4', '|| 1.2.3', '1.2.3 ||', '||', '|| ||',
  '1.2.3 | 2.3.4', '1.2.3 ||| 2.3.4', '1.2.3 |||| 2.3.4', '^1.2.3 || ~2.3.4 || 3.x', '<1 || >=2',
  '1.2.3-beta.2 || 2.0.0', '>=1.2.3-beta.2 <1.2.4 || >=2.0.0-rc.1', 'x || 1.2.3', '<0.0.0-0 || x',
  // prerelease tuples
  '>1.2.3-alpha.1 <1.2.4', '>=1.2.3-0 <1.2.4-0', '>=1.2.4-0', '^1.2.4-alpha', '~1.2.4-alpha',
  '1.2.3-alpha.1 - 1.2.4-alpha', '>=1.0.0-beta <1.0.0', '>=1.0.0-beta 1.x', '>=2.0.0-0 <3',
  '>=3.4.6-0', '<3.4.6-0', '>=1.2.3-beta.2 >=1.2.3-beta.10', '>=0.0.3-alpha <0.0.4',
  // whitespace
  '  ^1.2.3  ', '>=1.2.3\t<2', '>=1.2.3\n<2', '1.2.3\u00a0- 2', '>=\u00a01.2.3', '\ufeff1.2.3',
  '^1.2.3\u2028|| 2', '>= 1.2.3 < 2', '>=1.2.3 ,<2',
  // odd characters and stars inside tokens
  '1.2.3*', '*1.2.3', '**', '1.2.3 *', '* 1.2.3', '>*1.2.3', '1.*.x', 'x.*', '=*.*', '<=*1.2.3',
  '1.2.3-*', '^*.1', '~*.1', '1.2.3-beta.*', 'a.b.c', '1.2.3 - a', 'latest', 'next', '1.2.3 next',
  // big numbers
  '9007199254740991.0.0', '9007199254740992.0.0', '>=9007199254740991', '^0.0.9007199254740991',
  '~0.9007199254740990', '~0.9007199254740991', '<=999999999999999999999.x', '1.2.3 <=999999999999999999999.x',
  '>99999999999999999999', '^99999999999999999999.0.0', '1.2.3 ~999999999999999999999',
]

const rangeTable = ranges.filter((r, i) => ranges.indexOf(r) === i).map((range) => {
  const entry = { range, valid: {}, satisfies: {} }
  for (const mode of MODES) {
    entry.valid[mode.name] = validRange(range, mode.options)
    entry.satisfies[mode.name] = bits(rangeVersions, (v) => semver.satisfies(v, range, mode.options))
  }
  return entry
})

// MARK: - maxSatisfying / minSatisfying

const satisfyingLists = [
  ['1.2.3', '1.2.4', '1.3.0', '2.0.0', '2.0.0-beta', '0.9.0'],
  ['1.2.3-beta.1', '1.2.3-beta.2', '1.2.3', '1.2.4-alpha', '2.0.0-rc.1'],
  ['v1.2.3', '1.2.3', '1.2.3+build', '=1.2.4', 'junk', '', '01.2.5'],
  ['0.0.1', '0.0.2', '0.1.0', '0.1.5', '0.2.0', '1.0.0'],
  [],
]
const satisfyingRanges = [
  '*', '', '^1.2.3', '~1.2.3', '1.2.x', '>=1.2.3-beta.1', '^1.2.3-beta.1', '<2', '>2', '^0.0.1',
  '^0.1.0', '~0.1', '1.2.3', '1.2.3 - 2', 'invalid range', '>=1.2.3 || 0.x', '<=1.2.3',
]
const maxSatisfying = []
for (const versions of satisfyingLists) {
  for (const range of satisfyingRanges) {
    for (const mode of MODES) {
      maxSatisfying.push({
        versions,
        range,
        mode: mode.name,
        max: semver.maxSatisfying(versions, range, mode.options),
        min: semver.minSatisfying(versions, range, mode.options),
      })
    }
  }
}

// MARK: - Fuzz

// mulberry32: a tiny seeded generator, so the table is reproducible.
const random = ((seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
})(20240601)

const fuzzPieces = [
  '0', '1', '2', '3', '10', '01', '00', 'x', 'X', '*', '.', '.', '.', '-', '-', ' ', ' ', ' ', '  ', '\t',
  '||', '|', '^', '~', '~>', '>', '<', '=', '>=', '<=', 'v', 'beta', 'alpha.1', 'rc', '+', 'build', 'a',
  '1.2.3', '1.2', '0.0.1', '2.0.0-beta.1', ' - ', '1.2.3-0', '0.0.0', 'x.x',
]
const fuzzVersions = [
  '0.0.0', '0.0.1', '0.1.0', '0.2.0', '1.0.0-0', '1.0.0', '1.1.0', '1.2.0', '1.2.3-0', '1.2.3-beta',
  '1.2.3', '1.2.4', '1.3.0-0', '1.3.0', '2.0.0-beta.1', '2.0.0', '2.1.0', '3.0.0', '10.0.0', '1.2.3beta',
]
const fuzzTexts = new Set()
while (fuzzTexts.size < 2000) {
  const count = 1 + Math.floor(random() * 7)
  let text = ''
  for (let i = 0; i < count; i++) {
    text += fuzzPieces[Math.floor(random() * fuzzPieces.length)]
  }
  fuzzTexts.add(text)
}
const fuzz = {
  versions: fuzzVersions,
  cases: [...fuzzTexts].map((range) => {
    const entry = { range, valid: {}, satisfies: {} }
    for (const mode of MODES) {
      entry.valid[mode.name] = validRange(range, mode.options)
      entry.satisfies[mode.name] = bits(fuzzVersions, (v) => semver.satisfies(v, range, mode.options))
    }
    return entry
  }),
}

// MARK: - npm-pick-manifest

// [version, deprecated?] lists and dist-tags; every case is run through the real picker.
const stable = [['1.0.0'], ['1.1.0'], ['1.2.0'], ['1.2.5'], ['2.0.0'], ['2.1.0']]
const withPrereleases = [
  ['1.0.0'], ['1.1.0'], ['2.0.0-beta.1'], ['2.0.0-beta.2'], ['2.0.0-rc.1'], ['1.2.0'], ['3.0.0-alpha'],
]
const deprecatedTop = [['1.0.0'], ['1.1.0'], ['1.2.0', true], ['1.3.0', true], ['2.0.0']]
const allDeprecated = [['1.0.0', true], ['1.1.0', true], ['1.2.0', true]]
const pickerCases = [
  ['a dist-tag picks its version', 'beta', withPrereleases, { latest: '1.2.0', beta: '2.0.0-beta.2' }],
  ['an explicit latest tag', 'latest', stable, { latest: '1.2.0' }],
  ['a tag wins even when deprecated', 'old', deprecatedTop, { latest: '2.0.0', old: '1.3.0' }],
  ['a missing tag is an error', 'nope', stable, { latest: '1.2.0' }],
  ['a tag naming an unpublished version is an error', 'next', stable, { latest: '1.2.0', next: '9.9.9' }],
  ['a tag with characters URLs escape is invalid', 'foo bar', stable, { latest: '1.2.0' }],
  ['a tag with a slash is not a registry spec', 'foo/bar', stable, { latest: '1.2.0' }],
  ['a git spec is not supported', 'github:user/repo', stable, { latest: '1.2.0' }],
  ['a file spec is not supported', 'file:../pkg', stable, { latest: '1.2.0' }],
  ['an alias spec is not supported', 'npm:other@1', stable, { latest: '1.2.0' }],
  ['an empty spec means the default tag', '', stable, { latest: '1.2.0' }],
  ['star prefers latest', '*', stable, { latest: '1.2.0' }],
  ['star prefers a prerelease latest', '*', withPrereleases, { latest: '2.0.0-rc.1' }],
  ['x does not take a prerelease latest', 'x', withPrereleases, { latest: '2.0.0-rc.1' }],
  ['empty spec takes a prerelease latest', '', withPrereleases, { latest: '2.0.0-rc.1' }],
  ['latest wins when it satisfies the range', '^1.0.0', stable, { latest: '1.1.0' }],
  ['latest wins over higher matches for a tilde range', '~1.2.0', stable, { latest: '1.2.0' }],
  ['the highest match wins when latest does not satisfy', '^1.0.0', stable, { latest: '2.1.0' }],
  ['latest below the range', '>=2', stable, { latest: '1.2.5' }],
  ['no latest tag at all', '^1.0.0', stable, {}],
  ['latest naming an unpublished version', '^1.0.0', stable, { latest: '1.9.9' }],
  ['star without a latest tag skips prereleases', '*', withPrereleases, {}],
  ['a prerelease range admits same-tuple prereleases', '^2.0.0-beta.1', withPrereleases, { latest: '1.2.0' }],
  ['a prerelease range with latest satisfying', '>=1.1.0-0', withPrereleases, { latest: '1.2.0' }],
  ['a range excludes other prereleases', '>=2.0.0-0 <3', withPrereleases, { latest: '1.2.0' }],
  ['deprecated latest is skipped', '^1.0.0', deprecatedTop, { latest: '1.3.0' }],
  ['deprecated versions are avoided', '^1.0.0', deprecatedTop, { latest: '2.0.0' }],
  ['only deprecated versions match', '^1.0.0', allDeprecated, { latest: '1.2.0' }],
  ['deprecated latest with star', '*', deprecatedTop, { latest: '1.3.0' }],
  ['an exact version', '1.1.0', stable, { latest: '1.2.0' }],
  ['an exact deprecated version', '1.3.0', deprecatedTop, { latest: '2.0.0' }],
  ['an exact version with a v', 'v1.1.0', stable, { latest: '1.2.0' }],
  ['an exact version with =', '=1.1.0', stable, { latest: '1.2.0' }],
  ['an exact version with spaces', ' 1.1.0 ', stable, { latest: '1.2.0' }],
  ['an unpublished exact version', '1.1.1', stable, { latest: '1.2.0' }],
  ['an exact prerelease', '2.0.0-beta.1', withPrereleases, { latest: '1.2.0' }],
  ['an exact version with build metadata', '1.1.0+build', stable, { latest: '1.2.0' }],
  ['a loose exact version', '01.1.0', stable, { latest: '1.2.0' }],
  ['nothing matches', '^3.0.0', stable, { latest: '1.2.0' }],
  ['nothing matches a prerelease-only line', '^3.0.0', withPrereleases, { latest: '1.2.0' }],
  ['no versions for a range', '^1.0.0', [], { latest: '1.0.0' }],
  ['no versions for a tag', 'latest', [], {}],
  ['no versions for an exact version', '1.0.0', [], {}],
  ['a union range', '1.0.0 || 2.0.0', stable, { latest: '2.1.0' }],
  ['a hyphen range', '1.1 - 2.0', stable, { latest: '2.1.0' }],
  ['a loose range', '~1.2.0beta', stable, { latest: '2.1.0' }],
  ['a loose range with junk', '>=1.0.0 junk', stable, { latest: '2.1.0' }],
  ['equal precedence keeps packument order', '1.x', [['1.0.0+b'], ['1.0.0+a'], ['0.1.0']], {}],
  ['a custom default tag', '', stable, { latest: '2.1.0', stable: '1.2.0' }, 'stable'],
  ['a custom default tag satisfying the range', '^1.0.0', stable, { latest: '2.1.0', stable: '1.1.0' }, 'stable'],
  ['a custom default tag that is missing', '^1.0.0', stable, { latest: '1.0.0' }, 'stable'],
  ['unsorted versions', '^1.0.0', [['1.2.0'], ['1.0.0'], ['1.10.0'], ['1.9.0']], {}],
  ['caret zero', '^0.1.0', [['0.1.0'], ['0.1.9'], ['0.2.0'], ['1.0.0']], { latest: '1.0.0' }],
  ['caret zero zero', '^0.0.1', [['0.0.1'], ['0.0.2'], ['0.1.0']], { latest: '0.1.0' }],
  ['a range naming a tag-like word', 'latest || 1', stable, { latest: '2.1.0' }],
  ['a prerelease next tag by name', 'next', withPrereleases, { latest: '1.2.0', next: '2.0.0-rc.1' }],
  ['star ignores a prerelease next tag', '*', withPrereleases, { latest: '1.2.0', next: '2.0.0-rc.1' }],
  ['a custom default tag for the empty spec', '', stable, { latest: '2.1.0', stable: '1.1.0' }, 'stable'],
  ['a tarball name is not a registry spec', 'pkg.tgz', stable, { latest: '1.2.0' }],
  ['a relative path is not a registry spec', './pkg', stable, { latest: '1.2.0' }],
  ['a URL is not a registry spec', 'https://x.test/a.tgz', stable, { latest: '1.2.0' }],
  ['a whitespace-only spec is a range', '  ', withPrereleases, { latest: '2.0.0-rc.1' }],
  ['a tag with a hash is invalid', 'foo#bar', stable, { latest: '1.2.0' }],
  ['a tag of URL-safe punctuation', "a!b~c*d'e(f)_g", stable, { "a!b~c*d'e(f)_g": '1.0.0' }],
]

const picker = pickerCases.map(([name, wanted, list, distTags, defaultTag]) => {
  const packument = {
    name: 'pkg',
    'dist-tags': distTags,
    versions: Object.fromEntries(list.map(([version, deprecated]) =>
      [version, deprecated ? { name: 'pkg', version, deprecated: 'do not use' } : { name: 'pkg', version }])),
  }
  const candidates = list.map(([version, deprecated]) => ({ version, deprecated: !!deprecated }))
  const entry = { name, wanted, candidates, distTags }
  if (defaultTag) {
    entry.defaultTag = defaultTag
  }
  try {
    entry.expected = { version: pickManifest(packument, wanted, defaultTag ? { defaultTag } : {}).version }
  } catch (error) {
    entry.expected = { error: error.code || (/Only tag, version, and range/.test(error.message) ? 'EUNSUPPORTEDSPEC' : error.message) }
  }
  return entry
})

// MARK: - Output

// One entry per line keeps the file diffable without making it huge.
const table = {
  generatedBy: 'Tests/SemverTests/Fixtures/generate.js',
  node: process.version,
  semver: packageVersion('semver'),
  npmPickManifest: packageVersion('npm-pick-manifest'),
  modes: MODES.map((mode) => mode.name),
  versions,
  ordering,
  rangeVersions,
  ranges: rangeTable,
  maxSatisfying,
  fuzz,
  picker,
}
const render = (value, indent) => {
  if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
    const inner = indent + ' '
    return '[\n' + value.map((item) => inner + JSON.stringify(item)).join(',\n') + '\n' + indent + ']'
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const inner = indent + ' '
    const fields = Object.entries(value).map(([key, item]) => inner + JSON.stringify(key) + ': ' + render(item, inner))
    return '{\n' + fields.join(',\n') + '\n' + indent + '}'
  }
  return JSON.stringify(value)
}
process.stdout.write(render(table, '') + '\n')

#!/usr/bin/env node
// Differential test: drydock's hand-written HCL parser against HashiCorp's
// own (hashicorp/hcl, compiled to WebAssembly inside @cdktf/hcl2json).
//
//   node compare.js <drydock-binary> <corpus-dir>
//
// <corpus-dir>/*.tfvars must be accepted by both parsers with the same value
// (`drydock parse FILE` prints the parsed document as JSON). Every file in
// <corpus-dir>/invalid/*.tfvars must be rejected by drydock, and by hcl2json
// too unless the file is listed in LENIENT with the reason hcl2json accepts it.
// Prints one line per file, a diff for each mismatch, and a final
// "N passed, M failed" line; exits non-zero when anything failed.
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { parse } = require('@cdktf/hcl2json');

// Invalid files that HashiCorp's parser accepts but drydock rejects on
// purpose. hcl2json converts HCL to Terraform's JSON syntax, so it keeps
// anything that is a valid *expression* (rendered as a "${...}" string) and
// leaves evaluation to Terraform; a .tfvars file, however, is evaluated
// without variables or functions, and drydock refuses such input up front.
const LENIENT = {
  'block.tfvars': 'blocks are HCL syntax (hcl2json renders them as lists); a .tfvars body holds attributes only',
  'block_with_labels.tfvars': 'labelled blocks are HCL syntax; a .tfvars body holds attributes only',
  'interpolation.tfvars': '"${...}" is a template; hcl2json renders it unevaluated',
  'directive.tfvars': '"%{...}" is a template directive; hcl2json renders it unevaluated',
  'heredoc_interpolation.tfvars': 'interpolation inside a heredoc is a template; rendered unevaluated',
  'reference.tfvars': 'var.region is a traversal expression; hcl2json renders "${var.region}"',
  'bare_word.tfvars': 'a bare name is a variable reference; hcl2json renders "${production}"',
  'function_call.tfvars': 'function calls are expressions; rendered unevaluated',
  'arithmetic.tfvars': '1 + 2 is an expression; rendered unevaluated',
  'double_negation.tfvars': '--5 is an expression; rendered unevaluated',
  'negated_string.tfvars': '-"x" is an expression (a type error at evaluation); rendered unevaluated',
  'parenthesised_value.tfvars': '(1) is an expression; rendered "${(1)}"',
  'conditional.tfvars': 'a conditional is an expression; rendered unevaluated',
  'capitalised_true.tfvars': 'True is a variable reference in HCL, not a bool; rendered "${True}"',
  'duplicate_object_key.tfvars': 'hcl2json keeps the last of duplicate object keys; drydock reports the duplicate',
  'duplicate_object_key_quoted.tfvars': 'b and "b" are the same key; hcl2json keeps the last one',
  'dotted_object_key.tfvars': 'hcl2json uses the key source text; Terraform rejects b.c as an ambiguous key',
  'expression_key.tfvars': '(k) is a reference used as a key; rendered "${(k)}"',
  'negative_number_key.tfvars': '-1 as a key is an expression; rendered "${-1}"',
  'template_key.tfvars': 'a template key is rendered unevaluated',
  'unicode_identifier.tfvars': 'HCL allows Unicode letters in names; drydock accepts ASCII names only',
  'number_overflow.tfvars': '1e400 does not fit a double; hcl2json silently renders null',
  'number_underflow.tfvars': '1e-400 is not 0 but a double cannot hold it; hcl2json silently renders 0',
  'nesting_too_deep.tfvars': 'hcl2json has no nesting limit; drydock stops at 128 levels',
  'invalid_utf8.tfvars': 'node decodes the file for hcl2json, turning the bad byte into U+FFFD; drydock reports it',
};

// Undoes hcl2json's representation details so that only real differences
// remain. Each rule is a difference of spelling, never of meaning:
function normalizeOracle(value) {
  if (typeof value === 'string') return unescapeTemplate(value);
  if (Array.isArray(value)) return value.map(normalizeOracle);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[normalizeKey(key)] = normalizeOracle(item);
    return out;
  }
  return value;
}

// hcl2json emits Terraform JSON syntax, where every string is a template:
// a literal "${" or "%{" in the value is written "$${" / "%%{" there. drydock
// returns the value itself.
function unescapeTemplate(s) {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

// A parenthesised key ("quoted") = 1 is an expression key to HCL; hcl2json
// renders its source text, white space included, as "${(\"quoted\")}".
// drydock evaluates the literal.
function normalizeKey(key) {
  const match = /^\$\{\(\s*("(?:[^"\\]|\\.)*")\s*\)\}$/.exec(key);
  if (match) {
    try {
      return JSON.parse(match[1]);
    } catch (e) {
      return key;  // not a JSON-compatible string literal: left as is
    }
  }
  return unescapeTemplate(key);
}

// Semantic comparison: numbers as numbers (JSON.parse already made them
// doubles, and -0 === 0), object key order ignored. Collects human-readable
// differences into `diffs`.
function compare(expected, actual, where, diffs) {
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
  if (kind(expected) !== kind(actual)) {
    diffs.push(`${where}: hcl2json ${JSON.stringify(expected)} (${kind(expected)}) vs drydock ` +
               `${JSON.stringify(actual)} (${kind(actual)})`);
    return;
  }
  if (Array.isArray(expected)) {
    if (expected.length !== actual.length) {
      diffs.push(`${where}: hcl2json has ${expected.length} items, drydock ${actual.length}`);
    }
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) compare(expected[i], actual[i], `${where}[${i}]`, diffs);
    return;
  }
  if (kind(expected) === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const at = `${where}.${JSON.stringify(key)}`;
      if (!(key in actual)) diffs.push(`${at}: only in hcl2json: ${JSON.stringify(expected[key])}`);
      else if (!(key in expected)) diffs.push(`${at}: only in drydock: ${JSON.stringify(actual[key])}`);
      else compare(expected[key], actual[key], at, diffs);
    }
    return;
  }
  if (expected !== actual) {
    diffs.push(`${where}: hcl2json ${JSON.stringify(expected)} vs drydock ${JSON.stringify(actual)}`);
  }
}

function runDrydock(drydock, file) {
  const run = spawnSync(drydock, ['parse', file], { encoding: 'utf8', timeout: 30000 });
  if (run.error) throw new Error(`cannot run ${drydock}: ${run.error.message}`);
  return run;
}

async function runOracle(file) {
  // The file name only labels hcl2json's error messages.
  const text = fs.readFileSync(file, 'utf8');
  try {
    return { ok: true, value: await parse(path.basename(file), text) };
  } catch (error) {
    return { ok: false, error: String(error.message || error).replace(/\s+/g, ' ') };
  }
}

function firstLine(s) {
  return (s || '').split('\n').find((line) => line.trim() !== '') || '(nothing)';
}

async function checkValid(drydock, file) {
  const problems = [];
  const oracle = await runOracle(file);
  const run = runDrydock(drydock, file);
  if (!oracle.ok) problems.push(`hcl2json rejected it: ${oracle.error}`);
  if (run.status !== 0) {
    problems.push(`drydock rejected it (exit ${run.status}, signal ${run.signal}): ` +
                  firstLine(run.stderr));
  }
  if (problems.length > 0) return problems;
  let actual;
  try {
    actual = JSON.parse(run.stdout);
  } catch (error) {
    return [`drydock printed invalid JSON: ${error.message}`];
  }
  compare(normalizeOracle(oracle.value), actual, '$', problems);
  return problems;
}

async function checkInvalid(drydock, file) {
  const name = path.basename(file);
  const problems = [];
  const run = runDrydock(drydock, file);
  if (run.status !== 1) {
    problems.push(`drydock should reject it with exit 1, got exit ${run.status}, signal ` +
                  `${run.signal}; stdout: ${firstLine(run.stdout)}`);
  } else if (!/:\d+:\d+: error: /.test(run.stderr)) {
    problems.push(`drydock's error has no file:line:col: ${firstLine(run.stderr)}`);
  }
  const oracle = await runOracle(file);
  const notes = [`drydock: ${firstLine(run.stderr).replace(/^.*?:(\d+:\d+:)/, '$1')}`];
  if (!oracle.ok) {
    notes.push(`hcl2json: ${oracle.error.replace(/^.*?\[/, '[').slice(0, 160)}`);
    if (LENIENT[name]) problems.push('listed in LENIENT but hcl2json rejects it: remove the entry');
  } else if (LENIENT[name]) {
    notes.push(`hcl2json accepts (known): ${LENIENT[name]}`);
  } else {
    problems.push(`hcl2json accepts it (${JSON.stringify(oracle.value).slice(0, 120)}) and it is ` +
                  'not listed in LENIENT');
  }
  return { problems, notes };
}

function listTfvars(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tfvars')).sort().map((f) => path.join(dir, f));
}

async function main() {
  const [drydock, corpus] = process.argv.slice(2);
  if (!drydock || !corpus) {
    console.error('usage: node compare.js <drydock-binary> <corpus-dir>');
    process.exit(2);
  }
  const valid = listTfvars(corpus);
  const invalid = listTfvars(path.join(corpus, 'invalid'));
  if (valid.length === 0 || invalid.length === 0) {
    console.error(`no corpus found in ${corpus} (need *.tfvars and invalid/*.tfvars)`);
    process.exit(2);
  }
  let passed = 0;
  let failed = 0;
  const report = (label, problems, notes = []) => {
    if (problems.length === 0) passed++;
    else failed++;
    console.log(`${problems.length === 0 ? 'PASS' : 'FAIL'} ${label}`);
    for (const note of notes) console.log(`       ${note}`);
    for (const problem of problems) console.log(`    !! ${problem}`);
  };
  for (const file of valid) {
    report(path.relative(corpus, file), await checkValid(drydock, file));
  }
  for (const file of invalid) {
    const { problems, notes } = await checkInvalid(drydock, file);
    report(path.relative(corpus, file), problems, notes);
  }
  const names = new Set(invalid.map((f) => path.basename(f)));
  for (const name of Object.keys(LENIENT)) {
    if (!names.has(name)) report(`LENIENT entry ${name}`, ['no such file in invalid/']);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`compare.js: ${error.stack || error}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});

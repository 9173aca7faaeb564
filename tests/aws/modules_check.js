// Checks of the AWS target (deploy/aws) that need no Terraform binary:
//   1. every .tf file parses with HashiCorp's parser (@cdktf/hcl2json);
//   2. variables: every setting docs/configuration.md documents, and every variable the example
//      tfvars files set, is declared in deploy/aws/variables.tf with a compatible type and the same
//      default (nested service settings included); settings used only by drydock's local runtime
//      are declared, marked as such and never referenced; every other root variable is used;
//   3. modules: every argument a module call passes is a variable of that module, every required
//      module variable is passed, every module variable is used, every output the root reads exists;
//   4. `drydock plan --output json` and the modules agree on the resource list: for each example
//      file the plan's resources (type.name, index or key dropped) are declared in the module the
//      plan names, and together the examples show every resource the modules declare.
// Usage: node modules_check.js DRYDOCK REPO_DIR. Prints one line per failure, then
// "N passed, M failed"; exits 1 when anything failed.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [drydock, repo] = process.argv.slice(2);
if (!drydock || !repo) {
  console.error('usage: node modules_check.js DRYDOCK REPO_DIR');
  process.exit(2);
}
const hcl2json = require(path.join(repo, 'tools/hcl-oracle/node_modules/@cdktf/hcl2json'));
const awsDir = path.join(repo, 'deploy/aws');
// The example files the plan is compared on; together they switch every optional resource on.
const exampleFiles = ['examples/origin/terraform.tfvars', 'tests/aws/all-features.tfvars',
                      'tests/aws/host-mode.tfvars'];
// Arguments of a module block that are Terraform's, not the module's variables.
const metaArguments = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
const localOnlyMarker = 'drydock local runtime only:';

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
  return ok;
}

// --- Terraform type constraints and literal defaults ------------------------------------------
// A type: {kind: 'string'|'number'|'bool'|'any'} | {kind: 'list'|'set'|'map', element}
//         | {kind: 'object', attributes: {name: {type, optional, default}}}.
// `default` is undefined when there is none (a required attribute, or optional(T) = null).

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if ('(){}[],='.includes(c)) { tokens.push({ kind: c }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', value: JSON.parse(text.slice(i, j + 1)) });
      i = j + 1;
      continue;
    }
    const word = /^[-+]?[A-Za-z0-9_.\-]+/.exec(text.slice(i));
    if (!word) throw new Error(`unexpected '${c}' in ${JSON.stringify(text.slice(0, 60))}`);
    const w = word[0];
    tokens.push(/^[-+]?[0-9]/.test(w) ? { kind: 'number', value: Number(w) } : { kind: 'ident', value: w });
    i += w.length;
  }
  return tokens;
}

class Parser {
  constructor(text) { this.tokens = tokenize(text); this.at = 0; }
  peek() { return this.tokens[this.at] || { kind: 'end' }; }
  next() { return this.tokens[this.at++] || { kind: 'end' }; }
  expect(kind) {
    const t = this.next();
    if (t.kind !== kind) throw new Error(`expected '${kind}', found '${t.value ?? t.kind}'`);
    return t;
  }
  skipCommas() { while (this.peek().kind === ',') this.next(); }

  type() {
    const name = this.expect('ident').value;
    if (['string', 'number', 'bool', 'any'].includes(name)) return { kind: name };
    this.expect('(');
    let result;
    if (['list', 'set', 'map'].includes(name)) {
      result = { kind: name, element: this.type() };
    } else if (name === 'object') {
      this.expect('{');
      const attributes = {};
      while (this.peek().kind !== '}') {
        const attribute = this.next().value;
        this.expect('=');
        attributes[attribute] = this.attribute();
        this.skipCommas();
      }
      this.expect('}');
      result = { kind: 'object', attributes };
    } else {
      throw new Error(`unsupported type constructor ${name}`);
    }
    this.expect(')');
    return result;
  }

  attribute() {  // T | optional(T) | optional(T, default)
    if (this.peek().kind === 'ident' && this.peek().value === 'optional') {
      this.next();
      this.expect('(');
      const type = this.type();
      let value;
      if (this.peek().kind === ',') {
        this.next();
        value = this.literal();
      }
      this.expect(')');
      return { type, optional: true, default: value === null ? undefined : value };
    }
    return { type: this.type(), optional: false, default: undefined };
  }

  literal() {
    const t = this.next();
    switch (t.kind) {
      case 'string': case 'number': return t.value;
      case 'ident':
        if (t.value === 'true' || t.value === 'false') return t.value === 'true';
        if (t.value === 'null') return null;
        throw new Error(`not a literal: ${t.value}`);
      case '[': {
        const items = [];
        while (this.peek().kind !== ']') { items.push(this.literal()); this.skipCommas(); }
        this.next();
        return items;
      }
      case '{': {
        const object = {};
        while (this.peek().kind !== '}') {
          const key = this.next().value;
          this.expect('=');
          object[key] = this.literal();
          this.skipCommas();
        }
        this.next();
        return object;
      }
      default: throw new Error(`not a literal: ${t.kind}`);
    }
  }
}

function parseType(expression) {  // hcl2json writes a type as "${...}"
  const parser = new Parser(expression.replace(/^\$\{/, '').replace(/\}$/, ''));
  const type = parser.type();
  if (parser.peek().kind !== 'end') throw new Error('trailing text after the type');
  return type;
}

function parseLiteral(text) {
  const parser = new Parser(text);
  const value = parser.literal();
  if (parser.peek().kind !== 'end') throw new Error('trailing text after the value');
  return value;
}

function typeText(type) {
  if (['list', 'set', 'map'].includes(type.kind)) return `${type.kind}(${typeText(type.element)})`;
  if (type.kind === 'object') return 'object({...})';
  return type.kind;
}

function deepEqual(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

// --- docs/configuration.md ---------------------------------------------------------------------
// Tables keyed by the heading they follow: "Top-level settings", "Service settings", "`health_check`".

function documentedTables() {
  const tables = {};
  let heading = null;
  for (const line of fs.readFileSync(path.join(repo, 'docs/configuration.md'), 'utf8').split('\n')) {
    const h = /^#{2,3} (.*)$/.exec(line);
    if (h) { heading = h[1].trim(); continue; }
    if (!heading || !line.startsWith('| `')) continue;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const name = /^`([a-z0-9_]+)`$/.exec(cells[0]);
    if (!name) continue;
    (tables[heading] = tables[heading] || []).push({
      name: name[1], type: cells[1], default: cells[2], usedBy: cells[cells.length - 1],
    });
  }
  return tables;
}

// What a documented default must be in Terraform: {required} | {value} | {computed}. A default
// that depends on another value ("the service's `desired_count`", `{ SECRETS = "<service>" }`)
// is computed by the module from null.
function expectedDefault(cell) {
  if (cell.startsWith('**required**')) return { required: true };
  if (cell.startsWith('see [')) return { value: {} };  // a nested object: its own table's defaults
  const literal = /^`([^`]*)`/.exec(cell);
  if (!literal || literal[1].includes('<')) return { computed: true };
  return { value: parseLiteral(literal[1]) };
}

// The Terraform type a documented type cell stands for; objects are checked by `nested`.
const documentedTypes = {
  'string': 'string', 'number': 'number', 'whole number': 'number', 'bool': 'bool',
  'list of string': 'list(string)', 'map of string': 'map(string)', 'object': 'object({...})',
  'map of service objects': 'map(object({...}))', 'list of objects': 'list(object({...}))',
  // One string or a list (docs: "a single string is run through the shell"): only `any` takes both.
  'list of string, or one string': 'any',
};

// Compares one documented setting with its declaration. `declared` = {type, default, optional}.
function compareSetting(where, doc, declared, tables) {
  const wanted = documentedTypes[doc.type];
  if (!check(wanted !== undefined, `${where}: docs give an unknown type "${doc.type}"`)) return;
  const actual = ['list', 'map'].includes(declared.type.kind) && declared.type.element.kind === 'object'
    ? `${declared.type.kind}(object({...}))` : typeText(declared.type);
  check(actual === wanted, `${where}: declared as ${actual}, docs say ${doc.type} (${wanted})`);
  const expected = expectedDefault(doc.default);
  if (expected.required) {
    check(declared.default === undefined && !declared.optional,
          `${where}: required in drydock, but Terraform gives it a default`);
  } else if (expected.computed || wanted === 'any') {
    // `any` cannot carry a typed default that unifies across services; drydock's local runtime
    // alone reads such settings.
    check(declared.optional !== false && declared.default === undefined,
          `${where}: drydock computes its default, so Terraform must default it to null`);
  } else {
    check(declared.optional !== false && deepEqual(declared.default, expected.value),
          `${where}: default ${JSON.stringify(declared.default)}, docs say ${JSON.stringify(expected.value)}`);
  }
  const nestedTable = {
    health_check: '`health_check`', deployment_circuit_breaker: '`deployment_circuit_breaker`',
    additional_certificates: '`additional_certificates`', services: 'Service settings',
  }[doc.name];
  if (nestedTable && declared.type.kind !== 'any') {
    const object = declared.type.kind === 'object' ? declared.type : declared.type.element;
    if (check(object && object.kind === 'object', `${where}: not an object type`)) {
      compareObject(where, tables[nestedTable] || [], object, tables);
    }
  }
}

function compareObject(where, rows, object, tables) {
  check(rows.length > 0, `${where}: docs have no table for its settings`);
  for (const row of rows) {
    const attribute = object.attributes[row.name];
    if (check(attribute !== undefined, `${where}.${row.name}: documented but not in the Terraform type`)) {
      compareSetting(`${where}.${row.name}`, row, attribute, tables);
    }
  }
  for (const name of Object.keys(object.attributes)) {
    check(rows.some((row) => row.name === name), `${where}.${name}: in the Terraform type but not documented`);
  }
}

// --- the Terraform files -------------------------------------------------------------------------

function tfFiles(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).map((f) => path.join(dir, f));
}

async function parseDir(dir) {
  const blocks = { variable: {}, resource: {}, module: {}, output: {}, text: '' };
  for (const file of tfFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    let json;
    try {
      json = await hcl2json.parse(path.basename(file), text);
      check(true, '');
    } catch (error) {
      check(false, `${path.relative(repo, file)} does not parse: ${String(error.message || error).split('\n')[0]}`);
      continue;
    }
    for (const [name, list] of Object.entries(json.variable || {})) blocks.variable[name] = list[0];
    for (const [type, byName] of Object.entries(json.resource || {})) {
      for (const name of Object.keys(byName)) blocks.resource[`${type}.${name}`] = true;
    }
    for (const [name, list] of Object.entries(json.module || {})) blocks.module[name] = list[0];
    for (const name of Object.keys(json.output || {})) blocks.output[name] = true;
    // References count outside the declarations (a validation block names its own variable).
    if (path.basename(file) !== 'variables.tf') blocks.text += text + '\n';
  }
  return blocks;
}

function declaredSetting(variable) {
  return {
    type: parseType(variable.type || '${any}'),
    optional: variable.default !== undefined,
    default: variable.default === null ? undefined : variable.default,
  };
}

function referenced(text, name) { return new RegExp(`\\bvar\\.${name}\\b`).test(text); }

async function main() {
  const root = await parseDir(awsDir);
  const modules = {};
  for (const [name, call] of Object.entries(root.module)) {
    const dir = path.join(awsDir, call.source);
    if (check(fs.existsSync(dir), `module "${name}": source ${call.source} does not exist`)) {
      modules[name] = await parseDir(dir);
    }
  }

  // 2. variables
  const tables = documentedTables();
  const topLevel = tables['Top-level settings'] || [];
  check(topLevel.length > 20, 'docs/configuration.md: the top-level settings table was not found');
  for (const doc of topLevel) {
    const variable = root.variable[doc.name];
    if (!check(variable !== undefined, `variable "${doc.name}" (docs/configuration.md) is not declared`)) continue;
    let declared;
    try {
      declared = declaredSetting(variable);
    } catch (error) {
      check(false, `variable "${doc.name}": cannot read its type: ${error.message}`);
      continue;
    }
    compareSetting(`variable "${doc.name}"`, doc, declared, tables);
    const localOnly = /^local\b/.test(doc.usedBy);
    const description = variable.description || '';
    if (localOnly) {
      check(description.startsWith(localOnlyMarker),
            `variable "${doc.name}" is local-only: its description must start with "${localOnlyMarker}"`);
      check(!referenced(root.text, doc.name), `variable "${doc.name}" is local-only but the AWS target uses it`);
    } else {
      check(referenced(root.text, doc.name), `variable "${doc.name}" is declared but never used`);
    }
  }
  for (const name of Object.keys(root.variable)) {
    check(topLevel.some((doc) => doc.name === name),
          `variable "${name}" is declared but docs/configuration.md does not document it`);
  }
  for (const file of exampleFiles) {
    const values = await hcl2json.parse(file, fs.readFileSync(path.join(repo, file), 'utf8'));
    for (const [name, value] of Object.entries(values)) {
      if (!check(root.variable[name] !== undefined, `${file}: ${name} is not a declared variable`)) continue;
      if (name !== 'services') continue;
      const service = declaredSetting(root.variable.services).type.element;
      for (const [serviceName, attributes] of Object.entries(value)) {
        for (const attribute of Object.keys(attributes)) {
          check(service.attributes[attribute] !== undefined,
                `${file}: services.${serviceName}.${attribute} is not an attribute of variable "services"`);
        }
      }
    }
  }

  // 3. module inputs
  for (const [name, call] of Object.entries(root.module)) {
    const module = modules[name];
    if (!module) continue;
    const passedArgs = Object.keys(call).filter((a) => !metaArguments.has(a));
    for (const argument of passedArgs) {
      check(module.variable[argument] !== undefined,
            `module "${name}" is passed ${argument}, which ${call.source} does not declare`);
    }
    for (const [variable, block] of Object.entries(module.variable)) {
      check(block.default !== undefined || passedArgs.includes(variable),
            `module "${name}": required variable ${variable} is not passed`);
      check(referenced(module.text, variable), `${call.source}: variable ${variable} is declared but never used`);
    }
  }

  // Every module output the root reads exists.
  for (const [, name, output] of root.text.matchAll(/\bmodule\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)/g)) {
    check(modules[name] !== undefined && modules[name].output[output],
          `the root reads module.${name}.${output}, which module "${name}" does not output`);
  }

  // 4. the plan's resources against the modules'
  const shown = {};  // module block name -> set of type.name the plans showed
  for (const file of exampleFiles) {
    let plan;
    try {
      plan = JSON.parse(execFileSync(drydock, ['plan', path.join(repo, file), '--output', 'json'],
                                     { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (error) {
      check(false, `drydock plan ${file} failed: ${error.stderr || error.message}`);
      continue;
    }
    for (const resource of plan.resources) {
      const moduleName = resource.module.replace(/\[.*$/, '');
      const address = `${resource.type}.${resource.name.replace(/\[.*$/, '')}`;
      (shown[moduleName] = shown[moduleName] || new Set()).add(address);
      check(modules[moduleName] !== undefined && modules[moduleName].resource[address],
            `${file}: the plan shows ${resource.module}.${address}, which module "${moduleName}" does not declare`);
    }
  }
  for (const [name, module] of Object.entries(modules)) {
    for (const address of Object.keys(module.resource)) {
      check(shown[name] && shown[name].has(address),
            `module "${name}" declares ${address}, which no plan of ${exampleFiles.join(', ')} shows`);
    }
  }
  for (const name of Object.keys(shown)) check(modules[name] !== undefined, `the plan's module "${name}" is not called`);

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.log(`FAIL: ${error.stack || error}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});

// Independent check of our СМЭВ 4 OpenAPI document and of recorded answers against it, with
// tools of another stack: @apidevtools/swagger-parser validates the document itself (against the
// official OpenAPI 3.0 schema, plus its own spec rules: unique operationIds, path parameters
// declared, resolvable $refs) and dereferences it; ajv (+ ajv-formats) validates JSON instances
// against the dereferenced schemas.
//
// Usage: node openapi-validate.js DOC.json [RECORDINGS_DIR]
//
// Each RECORDINGS_DIR/*.json is one recorded exchange:
//   {"method":"POST","path":"/HTLSEV/gosqr/api/gosqr/v1/check","status":200,"request":{…},"response":{…}}
// `request` is checked against the operation's request body schema when the status is 200;
// `response` against the schema the document gives for that status (an undocumented status fails).
// The examples inside the document are checked against their schemas too.
// Prints one line per file (OK / FAIL) and a summary line; exits 1 on any failure, 2 on bad usage.
'use strict';
const fs = require('fs');
const path = require('path');
const SwaggerParser = require('@apidevtools/swagger-parser');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// OpenAPI 3.0 Schema Object keywords that are not JSON Schema validation keywords; `nullable`
// and `discriminator` ajv knows itself.
const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs'];

function makeAjv(api) {
  const ajv = new Ajv({ strict: true, allErrors: true, validateFormats: true });
  addFormats(ajv);  // date, date-time, uuid, byte, …
  ajv.addVocabulary(OPENAPI_ANNOTATIONS);
  // Specification extensions (x-…) anywhere in a schema are annotations too.
  const seen = new Set();
  (function collect(node) {
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) seen.add(k);
      collect(v);
    }
  })(api);
  for (const k of seen) ajv.addKeyword(k);
  return ajv;
}

function describeErrors(errors) {
  return (errors || [])
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}

// Compiled validators, one per schema object (the dereferenced document shares objects).
function validatorFor(ajv, cache, schema) {
  if (!cache.has(schema)) cache.set(schema, ajv.compile(schema));
  return cache.get(schema);
}

// The operation of the document that serves METHOD PATH: templates match one segment per {param};
// a literal path wins over a templated one.
function findOperation(api, method, urlPath) {
  const p = urlPath.split('?')[0];
  let best = null;
  for (const [template, item] of Object.entries(api.paths || {})) {
    const re = new RegExp('^' + template.split(/(\{[^}]+\})/).map((part) =>
      /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('') + '$');
    if (!re.test(p)) continue;
    const literal = !template.includes('{');
    if (!best || (literal && !best.literal)) best = { template, item, literal };
  }
  if (!best) return { error: `no path of the document matches ${p}` };
  const op = best.item[method.toLowerCase()];
  if (!op) return { error: `${best.template} has no ${method.toUpperCase()} operation` };
  return { template: best.template, op };
}

function jsonSchemaOf(content) {
  if (!content) return null;
  for (const [type, media] of Object.entries(content)) {
    if (/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) return media.schema || null;
  }
  return null;
}

// Every example in the document against its schema: a document whose own examples do not validate
// is wrong in one of the two.
function checkExamples(api, ajv, cache) {
  const problems = [];
  const check = (where, schema, value) => {
    if (!schema) return;
    const v = validatorFor(ajv, cache, schema);
    if (!v(value)) problems.push(`${where}: ${describeErrors(v.errors)}`);
  };
  const media = (where, content) => {
    for (const [type, m] of Object.entries(content || {})) {
      if ('example' in m) check(`${where} ${type} example`, m.schema, m.example);
      for (const [name, ex] of Object.entries(m.examples || {})) {
        if (ex && 'value' in ex) check(`${where} ${type} examples.${name}`, m.schema, ex.value);
      }
    }
  };
  for (const [template, item] of Object.entries(api.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${template}`;
      for (const prm of [...(item.parameters || []), ...(op.parameters || [])]) {
        if ('example' in prm) check(`${where} parameter ${prm.name} example`, prm.schema, prm.example);
      }
      if (op.requestBody) media(`${where} requestBody`, op.requestBody.content);
      for (const [status, resp] of Object.entries(op.responses || {})) media(`${where} ${status}`, resp.content);
    }
  }
  return problems;
}

function checkRecording(api, ajv, cache, rec) {
  const problems = [];
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return ['not a JSON object'];
  if (typeof rec.method !== 'string') problems.push('"method" is missing or not a string');
  if (typeof rec.path !== 'string') problems.push('"path" is missing or not a string');
  if (!Number.isInteger(rec.status)) problems.push('"status" is missing or not an integer');
  if (!('response' in rec)) problems.push('"response" is missing');
  if (problems.length) return problems;

  const found = findOperation(api, rec.method, rec.path);
  if (found.error) return [found.error];
  const { op } = found;

  if (rec.status === 200 && op.requestBody) {
    const schema = jsonSchemaOf(op.requestBody.content);
    if (!('request' in rec)) {
      if (op.requestBody.required) problems.push('"request" is missing (the operation requires a body)');
    } else if (schema) {
      const v = validatorFor(ajv, cache, schema);
      if (!v(rec.request)) problems.push(`request: ${describeErrors(v.errors)}`);
    }
  }

  const resp = (op.responses || {})[String(rec.status)];
  if (!resp) {
    problems.push(`status ${rec.status} is not documented for ${rec.method.toUpperCase()} ${found.template}`);
    return problems;
  }
  const schema = jsonSchemaOf(resp.content);
  if (schema) {
    const v = validatorFor(ajv, cache, schema);
    if (!v(rec.response)) problems.push(`response ${rec.status}: ${describeErrors(v.errors)}`);
  } else if (resp.content && Object.keys(resp.content).length) {
    problems.push(`status ${rec.status} has no JSON schema to check the response against`);
  }
  return problems;
}

async function main() {
  const [docPath, recordingsDir] = process.argv.slice(2);
  if (!docPath) {
    console.error('usage: node openapi-validate.js DOC.json [RECORDINGS_DIR]');
    process.exit(2);
  }
  let api;
  try {
    // validate() checks against the OpenAPI 3.0 schema and the spec's rules, then dereferences.
    api = await SwaggerParser.validate(path.resolve(docPath));
  } catch (err) {
    console.log(`FAIL ${docPath}: not a valid OpenAPI document: ${err.message}`);
    if (err.details) console.log(JSON.stringify(err.details, null, 2));
    process.exit(1);
  }
  if (!/^3\.0\.\d+$/.test(api.openapi || '')) {
    console.log(`FAIL ${docPath}: expected an OpenAPI 3.0.x document, got openapi=${api.openapi}`);
    process.exit(1);
  }
  const ajv = makeAjv(api);
  const cache = new Map();
  let failed = 0;
  let passed = 0;

  let problems;
  try {
    problems = checkExamples(api, ajv, cache);
  } catch (err) {
    problems = [`a schema does not compile: ${err.message}`];
  }
  if (problems.length) {
    failed++;
    console.log(`FAIL ${docPath}: ${problems.join(' | ')}`);
  } else {
    passed++;
    console.log(`OK   ${docPath}: valid OpenAPI ${api.openapi} (${api.info.title} ${api.info.version}); its examples validate`);
  }

  if (recordingsDir) {
    let files;
    try {
      files = fs.readdirSync(recordingsDir).filter((f) => f.endsWith('.json')).sort();
    } catch (err) {
      console.log(`FAIL ${recordingsDir}: ${err.message}`);
      process.exit(1);
    }
    if (!files.length) {
      failed++;
      console.log(`FAIL ${recordingsDir}: no *.json recordings`);
    }
    for (const f of files) {
      const file = path.join(recordingsDir, f);
      let rec;
      try {
        rec = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        failed++;
        console.log(`FAIL ${file}: not JSON: ${err.message}`);
        continue;
      }
      let p;
      try {
        p = checkRecording(api, ajv, cache, rec);
      } catch (err) {
        p = [`validator error: ${err.message}`];
      }
      if (p.length) {
        failed++;
        console.log(`FAIL ${file}: ${p.join(' | ')}`);
      } else {
        passed++;
        console.log(`OK   ${file}: ${rec.method.toUpperCase()} ${rec.path} ${rec.status}`);
      }
    }
  }
  console.log(`openapi-validate: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.log(`FAIL: ${err.stack || err}`);
  process.exit(1);
});

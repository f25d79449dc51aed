// Validates scenario files (already read from YAML into JSON) against docs/scenario.schema.json
// with ajv. Usage: node scenario-schema-check.js SCHEMA.json FILE.json...
// Prints one line per file (OK / FAIL with the errors) and exits 1 if any fails, 2 on bad usage.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const [schemaFile, ...files] = process.argv.slice(2);
if (!schemaFile || files.length === 0) {
  console.error('usage: node scenario-schema-check.js SCHEMA.json FILE.json...');
  process.exit(2);
}
const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
let failed = 0;
for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  if (validate(doc)) {
    console.log('OK   ' + f);
  } else {
    failed++;
    console.log('FAIL ' + f + ' ' + JSON.stringify(validate.errors.map((e) => e.instancePath + ' ' + e.message)));
  }
}
console.log(`${files.length - failed}/${files.length} valid`);
process.exit(failed ? 1 : 0);

// SPDX-License-Identifier: MIT
// Checks CycloneDX documents with the reference tools, not with pkgnote's own code: each must be
// valid against CycloneDX's official bom-1.6 JSON schema (as shipped by @cyclonedx/cyclonedx-
// library, validated with ajv the way that library does), every bom-ref unique and every
// dependency ref defined. Each purl is parsed by packageurl-js (the purl specification's
// reference library) and printed decoded, one line per purl, for the calling test to compare:
//   PURL<TAB>type<TAB>namespace<TAB>name<TAB>version<TAB>key=value&key=value
// Usage: node cyclonedx-check.js NODE_MODULES DOCUMENT...
'use strict';
const fs = require('fs');
const path = require('path');
const modules = process.argv[2];
const need = (name) => require(path.join(modules, name));
const Ajv = need('ajv').default;
const addFormats = need('ajv-formats').default;
const { PackageURL } = need('packageurl-js');
const schemaDir = path.join(modules, '@cyclonedx/cyclonedx-library/res/schema');
const load = (file) => JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8'));
const ajv = new Ajv({
  strict: false,
  useDefaults: false,
  addUsedSchema: false,
  schemas: {
    'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': load('spdx.SNAPSHOT.schema.json'),
    'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': load('jsf-0.82.SNAPSHOT.schema.json'),
    'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json':
      load('cryptography-defs.SNAPSHOT.schema.json'),
  },
});
addFormats(ajv);
ajv.addFormat('iri-reference', true);
ajv.addFormat('idn-email', true);
const validate = ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));

let failed = false;
const fail = (file, message) => {
  console.error(`FAIL ${file}: ${message}`);
  failed = true;
};
for (const file of process.argv.slice(3)) {
  const bom = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!validate(bom))
    fail(file, 'schema: ' + JSON.stringify(validate.errors));
  const components = [...(bom.components || [])];
  if (bom.metadata && bom.metadata.component)
    components.push(bom.metadata.component);
  const refs = new Set();
  for (const c of components) {
    if (refs.has(c['bom-ref']))
      fail(file, 'duplicate bom-ref ' + c['bom-ref']);
    refs.add(c['bom-ref']);
  }
  for (const d of bom.dependencies || [])
    for (const ref of [d.ref, ...(d.dependsOn || [])])
      if (!refs.has(ref))
        fail(file, 'dependency names undefined bom-ref ' + ref);
  for (const c of components) {
    if (!c.purl)
      continue;
    let p;
    try {
      p = PackageURL.fromString(c.purl);
    } catch (e) {
      fail(file, `packageurl-js rejects ${c.purl}: ${e.message}`);
      continue;
    }
    const q = Object.keys(p.qualifiers || {}).sort().map((k) => `${k}=${p.qualifiers[k]}`);
    console.log([c.purl, p.type, p.namespace || '', p.name, p.version || '', q.join('&')].join('\t'));
  }
}
process.exit(failed ? 1 : 0);

// Validates an OpenVEX document against the OpenVEX JSON schema with ajv
// (JSON Schema 2020-12, every format checked: date-time and uri by
// ajv-formats, and "iri", which ajv does not know, as an absolute IRI:
// a scheme, ':', and no whitespace or control characters).
//
// usage: node validate_openvex.mjs NPM_PREFIX SCHEMA.json DOCUMENT.json
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const [schemaFile, file] = process.argv.slice(3)
const prefix = resolve(process.argv[2])
const require = createRequire(join(prefix, 'node_modules', 'noop.js'))
const Ajv2020 = require('ajv/dist/2020').default
const addFormats = require('ajv-formats')

// ajv's default strictness: an unknown keyword or format is an error; the
// schema's own style ("required" naming properties defined elsewhere) is not.
const ajv = new Ajv2020({ allErrors: true })
addFormats(ajv)
ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\u0000-\u001f\u007f]+$/u)
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')))
const doc = JSON.parse(readFileSync(file, 'utf8'))
if (!validate(doc)) {
  for (const e of validate.errors) console.log(`${e.instancePath}: ${e.message}`)
  process.exit(1)
}
console.log(`valid: ${doc.statements.length} statements`)

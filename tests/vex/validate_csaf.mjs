// Validates a CSAF 2.0 document with the BSI's reference validator,
// @secvisogram/csaf-validator-lib: the strict CSAF 2.0 JSON schema and
// every mandatory test (section 6.1 of the standard, the VEX profile's
// 6.1.27.x included). Prints each failing test's errors and exits 1 when
// any fails.
//
// usage: node validate_csaf.mjs NPM_PREFIX DOCUMENT.json
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const prefix = resolve(process.argv[2])
const file = process.argv[3]
const lib = join(prefix, 'node_modules', '@secvisogram', 'csaf-validator-lib')
const load = (name) => import(pathToFileURL(join(lib, name)).href)
const { csaf_2_0_strict } = await load('schemaTests.js')
const mandatory = await load('mandatoryTests.js')
const validateStrict = (await load('validateStrict.js')).default

const doc = JSON.parse(readFileSync(file, 'utf8'))
const tests = [csaf_2_0_strict, ...Object.values(mandatory)]
const result = await validateStrict(tests, doc)
for (const t of result.tests) {
  for (const e of t.errors) console.log(`${t.name}: ${e.instancePath}: ${e.message}`)
}
const failed = result.tests.filter((t) => !t.isValid).length
console.log(`${result.tests.length} tests, ${failed} failed`)
process.exit(result.isValid && failed === 0 ? 0 : 1)

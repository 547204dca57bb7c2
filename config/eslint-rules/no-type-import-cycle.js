// Import cycles that run through a type-only import (`import type`, `export type ... from`).
// import-x/no-cycle skips those edges by design (they vanish at runtime), but a type cycle still
// ties two modules into one unit and is usually a back-reference between layers. Value cycles are
// import-x/no-cycle's; this rule reports only cycles with at least one type-only edge, so no cycle
// is reported twice. Module resolution is TypeScript's, with the repository's tsconfig.json.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const tsconfigPath = path.resolve(import.meta.dirname, '..', 'tsconfig.json')
const compilerOptions = ts.parseJsonConfigFileContent(
  ts.readConfigFile(tsconfigPath, ts.sys.readFile).config, ts.sys, path.dirname(tsconfigPath)
).options

/** file -> { mtimeMs, edges: Map<target file, typeOnly> } */
const graph = new Map()

/**
 * `${directory}\0${specifier}` -> resolved file. A relative specifier depends on nothing else; only
 * hits are kept, so a module created later (editor sessions) is found once it exists.
 */
const resolutions = new Map()

function resolveImport (specifier, fromFile) {
  if (!specifier.startsWith('.')) return undefined
  const key = `${path.dirname(fromFile)}\0${specifier}`
  if (resolutions.has(key)) return resolutions.get(key)
  const resolved = ts.resolveModuleName(specifier, fromFile, compilerOptions, ts.sys).resolvedModule
  if (resolved === undefined || resolved.isExternalLibraryImport) return undefined
  const file = path.resolve(resolved.resolvedFileName)
  resolutions.set(key, file)
  return file
}

function allTypeOnly (elements) {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly)
}

/** Static import and re-export edges of a module, each with whether it carries types only. */
function edgesOfText (file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const edges = new Map()
  for (const statement of source.statements) {
    let typeOnly
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause
      typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined &&
        clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) &&
        allTypeOnly(clause.namedBindings.elements)))
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
      const clause = statement.exportClause
      typeOnly = statement.isTypeOnly ||
        (clause !== undefined && ts.isNamedExports(clause) && allTypeOnly(clause.elements))
    } else {
      continue
    }
    const target = resolveImport(statement.moduleSpecifier.text, file)
    if (target === undefined) continue
    // A module imported once for values and once for types is a value edge.
    edges.set(target, (edges.get(target) ?? true) && typeOnly)
  }
  return edges
}

function edgesOf (file) {
  let mtimeMs
  try {
    mtimeMs = statSync(file).mtimeMs
  } catch (error) {
    if (error.code === 'ENOENT') return new Map() // resolved by TypeScript, deleted since: nothing to follow
    throw error
  }
  const cached = graph.get(file)
  if (cached?.mtimeMs === mtimeMs) return cached.edges
  const edges = edgesOfText(file, readFileSync(file, 'utf8'))
  graph.set(file, { mtimeMs, edges })
  return edges
}

/** A route `start -> ... -> goal` with at least one type-only edge (counting `typeOnlySoFar`), or undefined. */
function typeCycleRoute (start, goal, typeOnlySoFar) {
  const key = (file, sawType) => `${sawType ? 1 : 0}${file}`
  const previous = new Map([[key(start, typeOnlySoFar), undefined]])
  const queue = [[start, typeOnlySoFar]]
  while (queue.length > 0) {
    const [file, sawType] = queue.shift()
    for (const [next, typeOnly] of edgesOf(file)) {
      const nextSawType = sawType || typeOnly
      if (next === goal) {
        if (!nextSawType) continue
        const route = [goal]
        for (let k = key(file, sawType); k !== undefined; k = previous.get(k)) route.unshift(k.slice(1))
        return route
      }
      const nextKey = key(next, nextSawType)
      if (previous.has(nextKey)) continue
      previous.set(nextKey, key(file, sawType))
      queue.push([next, nextSawType])
    }
  }
  return undefined
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles that pass through a type-only import' },
    schema: [],
    messages: { cycle: 'Import cycle through a type-only import: {{route}}' }
  },
  create (context) {
    const file = path.resolve(context.physicalFilename)
    return {
      'Program:exit' () {
        const edges = edgesOfText(file, context.sourceCode.text)
        const reported = new Set()
        for (const node of context.sourceCode.ast.body) {
          const specifier = node.source?.value
          if (typeof specifier !== 'string') continue
          const target = resolveImport(specifier, file)
          if (target === undefined || reported.has(target) || !edges.has(target)) continue
          const route = typeCycleRoute(target, file, edges.get(target))
          if (route === undefined) continue
          reported.add(target)
          const cwd = context.cwd
          const shown = [file, ...route].map((f) => path.relative(cwd, f)).join(' -> ')
          context.report({ node, messageId: 'cycle', data: { route: shown } })
        }
      }
    }
  }
}

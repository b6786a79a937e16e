#!/usr/bin/env node
// Validates Kubernetes manifests (multi-document YAML) without a cluster:
//
//   npm ci && node validate.mjs ../deployment.yaml ../service.yaml ...     (or: npm run validate)
//
// Each document is checked twice, against the published models of its apiVersion and kind:
//  1. kubernetes-models (Kubernetes' OpenAPI schemas; @kubernetes-models/prometheus-operator and
//     @kubernetes-models/keda for the CRDs' schemas): types, required fields, enums, formats;
//  2. the same packages' TypeScript declarations, compiled by TypeScript with the document as an object
//     literal: TypeScript's excess property check rejects unknown (misspelt) fields at any depth, which
//     the JSON schemas let through (they do not forbid additional properties; the API server drops or
//     refuses such fields, depending on its field validation).
// YAML is read as kubectl reads it (YAML 1.1: 0440 is octal, yes is true), duplicate keys refused.
// Prints one line per problem, "FILE:LINE: Kind/name: field.path: message", and exits 1 when there is
// any, 0 when every document is valid, 2 on bad usage.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML, { LineCounter, isMap, isSeq, isScalar } from "yaml";
import ts from "typescript";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODEL_PACKAGES = ["kubernetes-models", "@kubernetes-models/prometheus-operator", "@kubernetes-models/keda"];
const TOOL_PACKAGES = [...MODEL_PACKAGES, "typescript", "yaml"];

function versions() {
  return TOOL_PACKAGES.map((name) => {
    const manifest = JSON.parse(readFileSync(path.join(HERE, "node_modules", name, "package.json"), "utf8"));
    return `${name} ${manifest.version}`;
  }).join(", ");
}

/** The module of apiVersion/kind in the first model package that has it, or null. */
async function modelFor(apiVersion, kind) {
  if (!/^[A-Za-z0-9.-]+(\/[A-Za-z0-9.-]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return null;
  }
  for (const pkg of MODEL_PACKAGES) {
    const specifier = `${pkg}/${apiVersion}/${kind}`;
    try {
      const module = await import(specifier);
      if (typeof module[kind] === "function") {
        return { specifier, Model: module[kind] };
      }
    } catch (e) {
      if (e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && e.code !== "ERR_MODULE_NOT_FOUND") {
        throw e;
      }
    }
  }
  return null;
}

/** The line (1-based) of the field at `fieldPath` (keys and indexes) in a parsed YAML document. */
function lineOf(document, fieldPath, lineCounter) {
  let node = document.contents;
  let range = node?.range;
  for (const segment of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      range = pair.key?.range ?? range;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!item) break;
      range = item.range ?? range;
      node = item;
    } else {
      break;
    }
  }
  return range ? lineCounter.linePos(range[0]).line : 1;
}

function pathText(fieldPath) {
  return fieldPath.reduce((text, s) => (typeof s === "number" ? `${text}[${s}]` : text ? `${text}.${s}` : s), "") || "(document)";
}

/** The property path from the document's root literal to the node a TypeScript diagnostic points at. */
function tsPath(sourceFile, position) {
  let found;
  (function visit(node) {
    if (position >= node.getStart(sourceFile) && position < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  })(sourceFile);
  const fieldPath = [];
  for (let node = found; node; node = node.parent) {
    const parent = node.parent;
    if (ts.isPropertyAssignment(node)) {
      fieldPath.unshift(ts.isStringLiteral(node.name) ? node.name.text : node.name.getText(sourceFile));
    } else if (parent && ts.isArrayLiteralExpression(parent)) {
      fieldPath.unshift(parent.elements.indexOf(node));
    }
    if (ts.isVariableDeclaration(node)) break;
  }
  return fieldPath;
}

async function main(files) {
  if (files.length === 0 || files.some((f) => f.startsWith("-"))) {
    console.error("usage: node validate.mjs FILE.yaml...");
    return 2;
  }
  console.log(`validator: ${versions()}`);
  const problems = [];
  const typed = []; // documents for the TypeScript pass
  let documents = 0;

  for (const file of files) {
    const lineCounter = new LineCounter();
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      problems.push(`${file}:1: cannot read: ${e.message}`);
      continue;
    }
    const parsed = YAML.parseAllDocuments(text, { version: "1.1", uniqueKeys: true, lineCounter, prettyErrors: false });
    for (const document of Array.isArray(parsed) ? parsed : [parsed]) {
      for (const error of document.errors) {
        problems.push(`${file}:${lineCounter.linePos(error.pos[0]).line}: YAML: ${error.message.split("\n")[0]}`);
      }
      if (document.errors.length > 0 || document.contents === null) continue;
      const data = document.toJS({ maxAliasCount: -1 });
      documents++;
      const where = (fieldPath) => `${file}:${lineOf(document, fieldPath, lineCounter)}`;
      if (typeof data !== "object" || Array.isArray(data)) {
        problems.push(`${where([])}: (document): a manifest must be a mapping`);
        continue;
      }
      const label = `${data.kind}/${data.metadata?.name ?? "(no name)"}`;
      const model = await modelFor(String(data.apiVersion), String(data.kind));
      if (!model) {
        problems.push(`${where(["kind"])}: ${label}: no schema for apiVersion ${data.apiVersion}, kind ${data.kind} in ${MODEL_PACKAGES.join(", ")}`);
        continue;
      }
      try {
        new model.Model(data).validate();
      } catch (e) {
        for (const error of e.errors ?? [{ instancePath: "", message: e.message }]) {
          const fieldPath = error.instancePath.split("/").slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, "/").replace(/~0/g, "~")));
          problems.push(`${where(fieldPath)}: ${label}: ${pathText(fieldPath)}: ${error.message}${error.params?.allowedValues ? ` (${error.params.allowedValues.join(", ")})` : ""}`);
        }
      }
      typed.push({ data, model, where, label });
    }
  }

  // The TypeScript pass: one virtual module per document, type-checked in one program.
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const sources = new Map();
  typed.forEach((entry, i) => {
    const name = path.join(HERE, "virtual", `document-${i}.mts`);
    entry.name = name;
    sources.set(name, `import type { I${entry.data.kind} } from "${entry.model.specifier}";\n`
      + `export const doc: I${entry.data.kind} = ${JSON.stringify(entry.data, null, 2)};\n`);
  });
  if (sources.size > 0) {
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, language, ...rest) => sources.has(name)
      ? ts.createSourceFile(name, sources.get(name), language, true) : getSourceFile.call(host, name, language, ...rest);
    host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
    host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
    const program = ts.createProgram([...sources.keys()], options, host);
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const entry = typed.find((t) => t.name === diagnostic.file?.fileName);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
      if (!entry) {
        problems.push(`(validator): ${message}`);
        continue;
      }
      const fieldPath = tsPath(diagnostic.file, diagnostic.start);
      problems.push(`${entry.where(fieldPath)}: ${entry.label}: ${pathText(fieldPath)}: ${message}`);
    }
  }

  for (const problem of problems) console.log(problem);
  console.log(problems.length === 0
    ? `${documents} documents in ${files.length} files: valid`
    : `${problems.length} problems in ${documents} documents of ${files.length} files`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

// Loads a Cytoscape.js elements document (path as the first argument) into headless Cytoscape.js and prints what the
// library holds as JSON: node and edge counts, the graph data, edges whose ends are missing, and every element's data.
// Cytoscape.js refuses an edge whose source or target is not a node by throwing: exit code 1, with its message on
// stderr, as for any document that does not load.
import { readFileSync } from 'node:fs';
import cytoscape from 'cytoscape';

const file = process.argv[2];
if (!file) {
  console.error('usage: node cytoscape.mjs <file.cyjs>');
  process.exit(2);
}
try {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const warnings = [];
  const warn = console.warn;
  const error = console.error;
  console.warn = console.error = (...args) => warnings.push(args.join(' '));
  let cy;
  try {
    cy = cytoscape({ headless: true, styleEnabled: false, elements: doc.elements, data: doc.data });
  } finally {
    console.warn = warn;
    console.error = error;
  }
  const dangling = cy.edges().filter(e => e.source().empty() || e.target().empty()).map(e => e.id());
  process.stdout.write(JSON.stringify({
    nodes: cy.nodes().length,
    edges: cy.edges().length,
    givenNodes: doc.elements?.nodes?.length ?? 0,
    givenEdges: doc.elements?.edges?.length ?? 0,
    dropped: (doc.elements?.edges?.length ?? 0) - cy.edges().length,
    dangling,
    warnings,
    data: cy.data(),
    nodeData: cy.nodes().map(n => n.data()),
    edgeData: cy.edges().map(e => ({ ...e.data(), sourceExists: e.source().nonempty(), targetExists: e.target().nonempty() })),
  }));
} catch (e) {
  console.error(`cytoscape could not load ${file}: ${e.stack ?? e}`);
  process.exit(1);
}

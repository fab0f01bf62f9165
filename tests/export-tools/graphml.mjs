// Reads a GraphML file (path as the first argument) with graphology-graphml, an independent GraphML reader, and prints
// what it found as JSON: the graph's attributes, every node with its attributes, and every edge with its ends and
// attributes. Exit code 1 (and a message on stderr) when the file does not parse.
import { readFileSync } from 'node:fs';
import graphology from 'graphology';
import graphml from 'graphology-graphml';

const file = process.argv[2];
if (!file) {
  console.error('usage: node graphml.mjs <file.graphml>');
  process.exit(2);
}
try {
  const graph = graphml.parse(graphology.Graph, readFileSync(file, 'utf8'));
  const nodes = {};
  graph.forEachNode((id, attributes) => { nodes[id] = attributes; });
  const edges = [];
  graph.forEachEdge((id, attributes, source, target) => { edges.push({ id, source, target, attributes }); });
  process.stdout.write(JSON.stringify({
    type: graph.type,
    multi: graph.multi,
    order: graph.order,
    size: graph.size,
    attributes: graph.getAttributes(),
    nodes,
    edges,
  }));
} catch (e) {
  console.error(`graphology-graphml could not read ${file}: ${e.stack ?? e}`);
  process.exit(1);
}

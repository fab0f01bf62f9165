"""Reads a GraphML file with NetworkX (an extra, optional independent reader; the tests always run the Node one) and
prints what it found as JSON: graph attributes, nodes with attributes, edges with ends, id and attributes."""
import json
import sys

import networkx as nx

g = nx.read_graphml(sys.argv[1])
edges = []
if g.is_multigraph():
    for source, target, key, data in g.edges(keys=True, data=True):
        edges.append({"id": data.get("id", key), "source": source, "target": target, "attributes": data})
else:
    for source, target, data in g.edges(data=True):
        edges.append({"id": data.get("id"), "source": source, "target": target, "attributes": data})
json.dump({
    "directed": g.is_directed(),
    "multi": g.is_multigraph(),
    "order": g.number_of_nodes(),
    "size": g.number_of_edges(),
    "attributes": g.graph,
    "nodes": {n: d for n, d in g.nodes(data=True)},
    "edges": edges,
}, sys.stdout)

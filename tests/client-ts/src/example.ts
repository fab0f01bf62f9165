// The README's openapi-fetch example ("For front-end apps"), compiled with the check so that it keeps compiling.
//   node dist/example.js http://localhost:5080
import createClient from "openapi-fetch";
import type { paths } from "./generated/v1.js";

const api = createClient<paths>({
  baseUrl: process.argv[2] ?? "http://localhost:5080",
  querySerializer: { array: { style: "form", explode: false } }, // effect, via, ids: comma-separated, as documented
});

const { data, error } = await api.GET("/api/v1/treatments", {
  params: { query: { symptom: "muscle spasm", cause: "nerve compression", effect: ["benefit", "uncertain"], minTier: "T3" } },
});
if (error) throw new Error(`${error.status} ${error.title}: ${error.detail}`); // an RFC 9457 problem
for (const item of data.items.slice(0, 3))
  console.log(item.rank, data.nodes[item.treatment]?.name, item.evidenceTier, item.effect, item.routes.join("+"));

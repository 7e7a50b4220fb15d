// Validates Kubernetes resources against the JSON schemas of the Kubernetes API (kubernetes-models) and of
// KEDA (@kubernetes-models/keda): types, required fields, enums and formats. Unknown fields are not reported
// (the schemas allow them). Input: a JSON array of resources in the file named by the first argument. Output: one
// line per resource, "valid|invalid|unchecked apiVersion kind name [reason]". Exit status 1 if any is invalid.
import { readFileSync } from "node:fs";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";

const models = { "v1": core, "apps/v1": apps, "policy/v1": policy, "keda.sh/v1alpha1": keda };
let invalid = 0;
for (const resource of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
  const id = `${resource.apiVersion} ${resource.kind} ${resource.metadata?.name}`;
  const Model = models[resource.apiVersion]?.[resource.kind];
  if (!Model) {
    console.log(`unchecked ${id} no schema here`);
    continue;
  }
  try {
    new Model(resource).validate();
    console.log(`valid ${id}`);
  } catch (e) {
    invalid++;
    console.log(`invalid ${id} ${String(e.message).replace(/\s+/g, " ")}`);
  }
}
process.exit(invalid > 0 ? 1 : 0);

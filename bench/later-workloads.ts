/**
 * Workloads planned but not written yet. run.ts appends this list to `workloads`, so each one
 * only has to be added here (with its fixture) to appear in the report.
 */
import type { Workload } from './workloads.js';

export const laterWorkloads: readonly Workload[] = [
  // TODO(bench): indexed finds on 1M documents, each beside the same query as a collection scan.
  //   Fixture: 1,000,000 sampleDocument()s (about 200 MB of BSON; load with insertMany batches
  //   of 1000 before the clock starts) and createIndexes on {age: 1} and {category: 1, score: 1}
  //   once the createIndexes command exists.
  //   Workloads, each at 1 and 16 clients:
  //   - equality: find({category: 'c3'}).limit(100) via the index vs hint({$natural: 1});
  //   - range: find({age: {$gte: 30, $lt: 31}}) via the index vs the same with $natural;
  //   - report queries/s, docs returned/s and docs examined/s (explain's totalDocsExamined),
  //     and the index/scan ratio, which should grow with the collection size.
  // TODO(bench): $group over 1M documents, three ways, on the same fixture.
  //   - Shoal: aggregate([{$group: {_id: '$category', n: {$sum: 1}, avg: {$avg: '$score'}}}])
  //     once the aggregate command exists;
  //   - mingo (devDependency; see research/storage.md for why Shoal does not use it): the same
  //     pipeline over the documents fetched once with find().toArray(), timing only the
  //     aggregation, so the comparison is evaluator against evaluator;
  //   - a plain JS loop over the same array into a Map, the floor for any evaluator.
  //   Report docs/s for each and Shoal's ratio to the loop (in-process, so no ping ratio).
];

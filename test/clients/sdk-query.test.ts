/**
 * @module test/clients/sdk-query: @aws-sdk/client-sqs 3.445.0, the last line before the SDK moved to AWS JSON (3.447),
 * installed under the npm alias `sqs-query-sdk`, through the client scenario. It speaks the query protocol (form
 * requests, XML answers); the scenario checks every request it sent carried `Action=`.
 */
import * as querySdk from 'sqs-query-sdk';
import { baseClientConfig, describeSdkScenario, type SqsSdk } from './sdk-scenario.ts';

// The 3.445 typings differ in detail from the current ones; the commands and their inputs are the same.
const sdk = querySdk as unknown as SqsSdk;

describeSdkScenario({
  label: '@aws-sdk/client-sqs 3.445.0 (query protocol)',
  sdk,
  protocol: 'query',
  clientName: 'sdkquery',
  hasMessageSystemAttributeNames: false,
  makeClient: (module, url, credentials) => new module.SQSClient({ ...baseClientConfig(credentials), endpoint: url }),
});

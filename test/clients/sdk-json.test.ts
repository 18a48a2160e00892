/**
 * @module test/clients/sdk-json: the current @aws-sdk/client-sqs (AWS JSON 1.0) through the client scenario, with the
 * endpoint taken from AWS_ENDPOINT_URL_SQS as a user would set it, and with an explicit `endpoint`.
 */
import { after, before } from 'node:test';
import * as sdk from '@aws-sdk/client-sqs';
import { baseClientConfig, describeSdkScenario } from './sdk-scenario.ts';

// Each test file runs in its own process, so the variable reaches only these clients.
const previous = process.env.AWS_ENDPOINT_URL_SQS;
before(() => {
  delete process.env.AWS_ENDPOINT_URL_SQS;
});
after(() => {
  if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SQS;
  else process.env.AWS_ENDPOINT_URL_SQS = previous;
});

describeSdkScenario({
  label: '@aws-sdk/client-sqs (current, JSON) via AWS_ENDPOINT_URL_SQS',
  sdk,
  protocol: 'json',
  clientName: 'sdkjson',
  hasMessageSystemAttributeNames: true,
  makeClient(module, url, credentials) {
    // No `endpoint` option: the SDK reads the service-specific endpoint variable.
    process.env.AWS_ENDPOINT_URL_SQS = url;
    return new module.SQSClient(baseClientConfig(credentials));
  },
});

describeSdkScenario({
  label: '@aws-sdk/client-sqs (current, JSON) with endpoint',
  sdk,
  protocol: 'json',
  clientName: 'sdkjson-ep',
  hasMessageSystemAttributeNames: true,
  makeClient: (module, url, credentials) => new module.SQSClient({ ...baseClientConfig(credentials), endpoint: url }),
});

/** @module infra/bin/app — the CDK app entry point (`cdk.json` runs it with `node --import tsx`). */

import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/build-app.ts';

const app = new App();
buildApp(app);
app.synth();

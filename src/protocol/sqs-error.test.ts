/** @module protocol/sqs-error.test: the wire errors raised outside the engine render as spec §A.1 says. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqsError, SqsErrors } from './sqs-error.ts';

describe('SqsErrors', () => {
  it('renders MissingParameter with the Coral type and the legacy header', () => {
    const error = SqsErrors.missingParameter('QueueUrl');
    assert.deepEqual(error.toJsonBody(), {
      __type: 'com.amazon.coral.service#MissingRequiredParameterException',
      message: 'The request must contain the parameter QueueUrl.',
    });
    assert.equal(error.queryErrorHeader(), 'MissingParameter;Sender');
    assert.equal(error.httpStatus, 400);
  });

  it('renders InvalidParameterValue as InvalidParameterValueException', () => {
    const error = SqsErrors.invalidParameterValue('bad');
    assert.equal(error.toJsonBody().__type, 'com.amazon.coral.service#InvalidParameterValueException');
    assert.equal(error.queryErrorHeader(), 'InvalidParameterValue;Sender');
  });

  it('renders an unknown operation as UnknownOperationException with legacy code InvalidAction', () => {
    const error = SqsErrors.unknownOperation('AmazonSQS.Nope');
    assert.equal(error.toJsonBody().__type, 'com.amazon.coral.service#UnknownOperationException');
    assert.equal(error.queryErrorHeader(), 'InvalidAction;Sender');
  });

  it('marks internal errors as Receiver faults with status 500', () => {
    const cause = new Error('boom');
    const error = SqsErrors.internalError({ cause });
    assert.equal(error.httpStatus, 500);
    assert.equal(error.senderFault, false);
    assert.equal(error.queryErrorHeader(), 'InternalFailure;Receiver');
    assert.equal(error.cause, cause);
  });

  it('answers 413 for an oversized body', () => {
    assert.equal(SqsErrors.requestEntityTooLarge(10).httpStatus, 413);
  });

  it('renders QueueDoesNotExist in the SQS namespace', () => {
    const error = SqsErrors.queueDoesNotExist();
    assert.ok(error instanceof SqsError);
    assert.deepEqual(error.toJsonBody(), {
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
    assert.equal(error.queryErrorHeader(), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  });
});

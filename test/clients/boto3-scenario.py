"""test/clients/boto3-scenario.py: the client scenario (test/clients/scenario.ts) through boto3.

Driven by test/clients/boto3.test.ts: it reads one JSON line of input on stdin (endpoint, queue names, messages,
keys), prints one JSON line per step with what boto3 returned, and asks the test to advance the server's manual clock
by printing {"advance_ms": N} and waiting for a line on stdin. Assertions live in the test; this script only drives
boto3 and reports. Binary values travel as base64.
"""

import base64
import json
import sys
import traceback
import urllib.parse
import xml.etree.ElementTree as ET

import boto3
import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from botocore.httpsession import URLLib3Session

NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def advance(ms):
    emit({"advance_ms": ms})
    sys.stdin.readline()


def to_wire_attributes(attributes):
    out = {}
    for name, value in attributes.items():
        v = {"DataType": value["DataType"]}
        if "StringValue" in value:
            v["StringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            v["BinaryValue"] = base64.b64decode(value["BinaryValue"])
        out[name] = v
    return out


def from_wire_attributes(attributes):
    out = {}
    for name, value in (attributes or {}).items():
        v = {"DataType": value["DataType"]}
        if "StringValue" in value:
            v["StringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            v["BinaryValue"] = base64.b64encode(value["BinaryValue"]).decode("ascii")
        out[name] = v
    return out


def message_of(m):
    return {
        "MessageId": m["MessageId"],
        "Body": m["Body"],
        "MD5OfBody": m["MD5OfBody"],
        "MD5OfMessageAttributes": m.get("MD5OfMessageAttributes"),
        "Attributes": m.get("Attributes", {}),
        "MessageAttributes": from_wire_attributes(m.get("MessageAttributes")),
    }


def error_of(call):
    try:
        call()
    except ClientError as e:
        return {
            "code": e.response["Error"].get("Code"),
            "type": e.response["Error"].get("Type"),
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
            "message": e.response["Error"].get("Message"),
        }
    return {"code": None, "status": 200}


def client(cfg, key=None):
    key = key or cfg["key"]
    return boto3.client(
        "sqs",
        endpoint_url=cfg["endpoint"],
        region_name="us-east-1",
        aws_access_key_id=key["accessKeyId"],
        aws_secret_access_key=key["secretAccessKey"],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def signed_query(cfg, action, params):
    """A query request made and signed by botocore's own SigV4 signer and HTTP session, for the operations boto3
    1.26 predates (the message move tasks, June 2023). Returns the HTTP status and the parsed XML."""
    body = urllib.parse.urlencode({"Action": action, "Version": "2012-11-05", **params})
    request = AWSRequest(
        method="POST",
        url=cfg["endpoint"] + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(cfg["key"]["accessKeyId"], cfg["key"]["secretAccessKey"]), "sqs", "us-east-1").add_auth(request)
    response = URLLib3Session().send(request.prepare())
    return response.status_code, ET.fromstring(response.content)


def record_protocol(sqs, seen):
    def before_send(request, **kwargs):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        seen.append("json" if "X-Amz-Target" in request.headers else ("query" if b"Action=" in body else "other"))

    sqs.meta.events.register("before-send.sqs.*", before_send)


def scenario(cfg):
    sqs = client(cfg)
    seen = []
    record_protocol(sqs, seen)
    names = cfg["names"]
    emit({"step": "versions", "boto3": boto3.__version__, "botocore": botocore.__version__})

    dlq = sqs.create_queue(QueueName=names["dlq"])["QueueUrl"]
    standard = sqs.create_queue(QueueName=names["standard"], Attributes={"RedrivePolicy": cfg["redrivePolicy"]})["QueueUrl"]
    fifo = sqs.create_queue(
        QueueName=names["fifo"],
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "60"},
        tags={"team": "orders"},
    )["QueueUrl"]
    emit({
        "step": "create",
        "urls": {"dlq": dlq, "standard": standard, "fifo": fifo},
        "fifoAttributes": sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=["All"])["Attributes"],
        "redrivePolicy": sqs.get_queue_attributes(QueueUrl=standard, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"],
        "deadLetterSources": sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"],
    })

    single = sqs.send_message(
        QueueUrl=fifo,
        MessageBody=cfg["single"]["body"],
        MessageGroupId=cfg["groupId"],
        MessageAttributes=to_wire_attributes(cfg["single"]["attributes"]),
    )
    batch = sqs.send_message_batch(
        QueueUrl=fifo,
        Entries=[
            {
                "Id": e["id"],
                "MessageBody": e["body"],
                "MessageGroupId": cfg["groupId"],
                "MessageAttributes": to_wire_attributes(e["attributes"]),
            }
            for e in cfg["batch"]
        ],
    )
    emit({
        "step": "send",
        "single": {k: single.get(k) for k in ("MD5OfMessageBody", "MD5OfMessageAttributes", "SequenceNumber", "MessageId")},
        "successful": [{k: e.get(k) for k in ("Id", "MD5OfMessageBody", "MD5OfMessageAttributes")} for e in batch.get("Successful", [])],
        "failed": batch.get("Failed", []),
    })

    received = sqs.receive_message(
        QueueUrl=fifo, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"]
    ).get("Messages", [])
    locked = sqs.receive_message(QueueUrl=fifo, MessageAttributeNames=["All"]).get("Messages", [])
    emit({"step": "receive", "messages": [message_of(m) for m in received], "whileLocked": len(locked)})

    sqs.change_message_visibility(QueueUrl=fifo, ReceiptHandle=received[0]["ReceiptHandle"], VisibilityTimeout=120)
    changed = sqs.change_message_visibility_batch(
        QueueUrl=fifo,
        Entries=[{"Id": "c%d" % i, "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 90} for i, m in enumerate(received[1:])],
    )
    advance(70000)
    not_visible = sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    deleted = sqs.delete_message_batch(
        QueueUrl=fifo, Entries=[{"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(received)]
    )
    emit({
        "step": "visibility-delete",
        "changed": [e["Id"] for e in changed.get("Successful", [])],
        "changeFailed": changed.get("Failed", []),
        "notVisibleAfter70s": not_visible["ApproximateNumberOfMessagesNotVisible"],
        "deleted": [e["Id"] for e in deleted.get("Successful", [])],
        "deleteFailed": deleted.get("Failed", []),
    })

    sqs.tag_queue(QueueUrl=fifo, Tags={"env": "dev", "note": cfg["tagText"]})
    tagged = sqs.list_queue_tags(QueueUrl=fifo).get("Tags")
    sqs.untag_queue(QueueUrl=fifo, TagKeys=["env", "note"])
    emit({"step": "tags", "tagged": tagged, "untagged": sqs.list_queue_tags(QueueUrl=fifo).get("Tags")})

    pages = [
        page.get("QueueUrls", [])
        for page in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=names["prefix"], PaginationConfig={"PageSize": 1})
    ]
    emit({"step": "list", "pages": pages})

    sqs.send_message(QueueUrl=standard, MessageBody="to be purged")
    sqs.purge_queue(QueueUrl=standard)
    emit({
        "step": "purge",
        "visible": sqs.get_queue_attributes(QueueUrl=standard, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"],
    })

    sent = sqs.send_message(QueueUrl=standard, MessageBody="poison")
    sqs.receive_message(QueueUrl=standard, VisibilityTimeout=0)
    second = sqs.receive_message(QueueUrl=standard).get("Messages", [])
    dead = sqs.receive_message(QueueUrl=dlq, VisibilityTimeout=0, AttributeNames=["All"]).get("Messages", [])
    if hasattr(sqs, "start_message_move_task"):
        task_handle = sqs.start_message_move_task(SourceArn=cfg["dlqArn"]).get("TaskHandle")
        advance(1000)
        tasks = sqs.list_message_move_tasks(SourceArn=cfg["dlqArn"]).get("Results", [])
        move_via = "boto3"
    else:
        status, started = signed_query(cfg, "StartMessageMoveTask", {"SourceArn": cfg["dlqArn"]})
        task_handle = started.findtext(NS + "StartMessageMoveTaskResult/" + NS + "TaskHandle") if status == 200 else None
        advance(1000)
        status, listed = signed_query(cfg, "ListMessageMoveTasks", {"SourceArn": cfg["dlqArn"]})
        tasks = [
            {
                "Status": entry.findtext(NS + "Status"),
                "ApproximateNumberOfMessagesMoved": int(entry.findtext(NS + "ApproximateNumberOfMessagesMoved") or -1),
            }
            for entry in listed.iter(NS + "ListMessageMoveTasksResultEntry")
        ]
        move_via = "botocore SigV4Auth + URLLib3Session (boto3 %s predates the move-task API)" % boto3.__version__
    back = sqs.receive_message(QueueUrl=standard).get("Messages", [])
    if back:
        sqs.delete_message(QueueUrl=standard, ReceiptHandle=back[0]["ReceiptHandle"])
    emit({
        "step": "dead-letter",
        "sentId": sent["MessageId"],
        "secondReceive": len(second),
        "dead": [message_of(m) for m in dead],
        "taskHandle": task_handle,
        "moveVia": move_via,
        "tasks": tasks,
        "back": [message_of(m) for m in back],
    })

    errors = {
        "queueDoesNotExist": error_of(lambda: sqs.get_queue_url(QueueName=names["prefix"] + "-missing")),
        "queueAlreadyExists": error_of(lambda: sqs.create_queue(QueueName=names["standard"], Attributes={"VisibilityTimeout": "5"})),
        "invalidParameterValue": error_of(lambda: sqs.receive_message(QueueUrl=standard, MaxNumberOfMessages=11)),
        "missingParameter": error_of(lambda: sqs.send_message(QueueUrl=standard, MessageBody="")),
        "receiptHandleIsInvalid": error_of(lambda: sqs.delete_message(QueueUrl=standard, ReceiptHandle="garbage")),
        "batchEntryIdsNotDistinct": error_of(
            lambda: sqs.send_message_batch(
                QueueUrl=standard, Entries=[{"Id": "same", "MessageBody": "a"}, {"Id": "same", "MessageBody": "b"}]
            )
        ),
        "invalidAttributeName": error_of(lambda: sqs.get_queue_attributes(QueueUrl=standard, AttributeNames=["NoSuchAttribute"])),
        "purgeQueueInProgress": error_of(lambda: sqs.purge_queue(QueueUrl=standard)),
    }
    emit({"step": "errors", "errors": errors})
    emit({"step": "protocols", "protocols": sorted(set(seen)), "count": len(seen)})


def auth(cfg):
    results = {}
    for label, key in (("client", cfg["key"]), ("other", cfg["otherKey"])):
        sqs = client(cfg, key)
        seen = []
        record_protocol(sqs, seen)
        url = sqs.create_queue(QueueName=cfg["names"]["prefix"] + "-" + label)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="signed")
        body = sqs.receive_message(QueueUrl=url).get("Messages", [{}])[0].get("Body")
        results[label] = {"body": body, "protocols": sorted(set(seen))}
    results["unknownKey"] = error_of(
        lambda: client(cfg, {"accessKeyId": "AKIASTRANGER0000000", "secretAccessKey": cfg["key"]["secretAccessKey"]}).list_queues()
    )
    results["wrongSecret"] = error_of(
        lambda: client(cfg, {"accessKeyId": cfg["key"]["accessKeyId"], "secretAccessKey": "not-the-secret"}).list_queues()
    )
    emit({"step": "auth", **results})


def main():
    cfg = json.loads(sys.stdin.readline())
    try:
        (auth if cfg["mode"] == "auth" else scenario)(cfg)
        emit({"step": "done"})
    except Exception:  # report, let the test fail with the traceback
        emit({"step": "crashed", "traceback": traceback.format_exc()})
        sys.exit(1)


main()

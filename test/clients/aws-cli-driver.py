"""test/clients/aws-cli-driver.py: runs AWS CLI commands in one long-lived python3, through the very entry point
/usr/bin/aws calls (awscli.clidriver), so a scenario of ~40 commands does not pay the CLI's ~0.7 s start-up each time.

Protocol (driven by test/clients/aws-cli.test.ts): one JSON line per command on stdin, {"args": [...], "env": {...}};
one JSON line per result on stdout, {"status": N, "stdout": "...", "stderr": "..."}. Each command gets a fresh
driver and session, as a new `aws` process would; `env` (the credentials) is applied before it starts.
"""

import contextlib
import io
import json
import os
import sys

import awscli.clidriver

protocol_out = sys.stdout

for line in sys.stdin:
    request = json.loads(line)
    os.environ.update(request.get("env", {}))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = awscli.clidriver.create_clidriver().main(request["args"])
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 255
        except Exception as error:  # report, never die: the test shows it
            err.write("driver: %r\n" % (error,))
            status = 255
    protocol_out.write(json.dumps({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
    protocol_out.flush()

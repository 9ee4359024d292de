"""An aiosmtpd handler for tests/notify/notify.sh: saves each message as
OUT/NNN.eml (the DATA as received, after the server undid the
dot-stuffing) and its envelope as OUT/NNN.env ("MAIL FROM" and "RCPT TO"
lines).

usage: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink OUT
(with tests/notify on PYTHONPATH)
"""
import os


class Sink:
    def __init__(self, out):
        self.out = out

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Sink takes one argument: the output directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(self.out) if f.endswith(".eml")])
        base = os.path.join(self.out, "%03d" % (n + 1))
        with open(base + ".env", "w") as f:
            f.write("MAIL FROM %s\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("RCPT TO %s\n" % r)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"

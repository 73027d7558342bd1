from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships import audit


class Command(BaseCommand):
    help = ("Verify the audit trail: every seal's record and hash, every signed checkpoint still in the chain, no "
            "record left unsealed too long. Names each problem by position (exit 1), or counts the verified records.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true",
                            help="first seal what is committed and write a checkpoint (as the beat task does)")
        parser.add_argument("--checkpoints", nargs="+", type=Path, metavar="FILE",
                            help="read checkpoints from these files (say, lines exported from syslog) instead of "
                                 "AUDIT_CHECKPOINT_DIR")

    def handle(self, *args, checkpoint=False, checkpoints=None, **options):
        if checkpoint:
            entry = audit.checkpoint()
            self.stdout.write(f"Checkpoint written: position {entry['position']}, hash {entry['hash']}.")
        verified, problems = audit.verify(checkpoint_paths=checkpoints)
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"Audit trail NOT intact: {len(problems)} problem(s) found; {verified} records "
                               "verified.")
        self.stdout.write(f"Audit chain intact: {verified} records verified.")

"""Delete all but the newest dated backups in a folder."""

import re

BACKUP = re.compile(r"backup-[0-9]{4}-[0-9]{2}-[0-9]{2}\.tar")


def prune_backups(folder, keep):
    if keep < 1:
        raise ValueError("keep at least one backup")
    backups = sorted(path for path in folder.iterdir()
                     if path.is_file() and BACKUP.fullmatch(path.name))
    doomed = backups[keep:]
    for path in doomed:
        path.unlink()
    return [path.name for path in doomed]

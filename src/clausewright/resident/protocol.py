"""What a command and the resident process say to each other over the socket.

The command sends, in one message, its standard input, output and error (as file descriptors)
and the length of a JSON request: its arguments, working folder, environment, file-mode mask and
how Python set up its standard streams (encoding, errors, line buffering), in ``marshal``'s
format (built into Python: nothing to import, and the peer is the same user, checked). The process
that runs it answers with two fixed-size messages: its process id once it has taken the command on, then
the command's exit status.
"""

from __future__ import annotations

import array
import marshal
import os
import socket
import struct
import sys

PID = b"P"
EXIT = b"X"
_MESSAGE = struct.Struct("!ci")
_LENGTH = struct.Struct("!I")
_STREAMS = 3
_LIMIT = 16 * 1024 * 1024  # a request larger than this is refused


def environment_of(argv: list[str]) -> dict:
    """The request for running ``argv`` as this process would run it."""
    mask = os.umask(0)
    os.umask(mask)
    streams = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is None:
            raise OSError("a standard stream is closed")
        streams.append([stream.encoding, stream.errors, stream.line_buffering])
    return {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ), "umask": mask, "streams": streams}


def send_request(connection: socket.socket, request: dict) -> None:
    data = marshal.dumps(request)
    fds = array.array("i", [sys.stdin.fileno(), sys.stdout.fileno(), sys.stderr.fileno()])
    connection.sendmsg([_LENGTH.pack(len(data))], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds.tobytes())])
    connection.sendall(data)


def receive_request(connection: socket.socket) -> tuple[dict, list[int]]:
    """The request and the three file descriptors sent with it (ValueError if either is wrong)."""
    fds = array.array("i")
    head, ancillary, _flags, _address = connection.recvmsg(_LENGTH.size, socket.CMSG_SPACE(_STREAMS * fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if len(fds) != _STREAMS:
        for fd in fds:
            os.close(fd)
        raise ValueError("the request did not carry the three standard streams")
    head += _exactly(connection, _LENGTH.size - len(head))
    (length,) = _LENGTH.unpack(head)
    if length > _LIMIT:
        raise ValueError("request too large")
    request = marshal.loads(_exactly(connection, length))
    if not isinstance(request, dict) or not {"argv", "cwd", "env", "umask", "streams"} <= set(request):
        raise ValueError("not a request")
    return request, list(fds)


def send_message(connection: socket.socket, kind: bytes, value: int) -> None:
    connection.sendall(_MESSAGE.pack(kind, value))


def receive_message(connection: socket.socket) -> tuple[bytes, int]:
    kind, value = _MESSAGE.unpack(_exactly(connection, _MESSAGE.size))
    return kind, value


def _exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ValueError("the connection closed")
        data += chunk
    return data

"""The base of the project's management commands: a failure ends with one Chinese line on stderr and exit status 1.

Django prints "CommandError: …" for an expected failure, a traceback for anything else, and argparse prints its
usage and an English message with status 2. Operators read the one line; `--traceback` still shows the details.
Every command under sanxin/*/management/commands/ subclasses this BaseCommand (tests/test_commands.py checks it).
"""

from __future__ import annotations

import argparse
import re
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

__all__ = ["BaseCommand", "CommandError"]

# argparse's own messages, in Chinese.
_ARGPARSE = [
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)"), "参数 {0} 的值“{1}”不在可选范围内（可选：{2}）"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '?(.*?)'?$"), "参数 {0} 的值“{2}”格式不正确"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"invalid choice: '?(.*?)'? \(choose from (.+)\)"), "子命令“{0}”不存在（可选：{1}）"),
]


def _chinese_argparse(message: str) -> str:
    for pattern, text in _ARGPARSE:
        found = pattern.search(message)
        if found:
            return text.format(*found.groups()).replace("'", "")
    return f"参数错误：{message}"


def one_line(text: str) -> str:
    return " ".join(str(text).split()) or "命令执行失败"


class _Parser(CommandParser):
    def error(self, message):
        if getattr(self, "called_from_command_line", False):
            sys.stderr.write(f"{_chinese_argparse(message)}（用法见 --help）\n")
            sys.exit(1)
        raise CommandError(_chinese_argparse(message))


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


class BaseCommand(DjangoBaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a CommandParser (and the command's subparsers, api_token create …); ours only differs
        # in how it reports an error.
        for each in _parsers(parser):
            each.__class__ = _Parser
        return parser

    def run_from_argv(self, argv):
        self._called_from_command_line = True
        if "--traceback" in argv:
            return super().run_from_argv(argv)
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            self.execute(*args, **cmd_options)
        except CommandError as error:
            self._fail(str(error), 1)
        except ValidationError as error:
            self._fail("；".join(error.messages), 1)
        except KeyboardInterrupt:
            self._fail("已中断", 1)
        except DatabaseError as error:
            self._fail(f"数据库出错，命令未完成（{error.__class__.__name__}）：{error}；加 --traceback 可查看详情", 1)
        except Exception as error:  # anything unexpected: one line for the operator; --traceback shows the details
            self._fail(f"命令执行失败（{error.__class__.__name__}）：{error}；加 --traceback 可查看详情", 1)
        finally:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 (closing on the way out; nothing to report)
                pass

    def _fail(self, message: str, status: int) -> None:
        sys.stderr.write(one_line(message) + "\n")
        sys.exit(status)

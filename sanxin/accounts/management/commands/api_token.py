from django.core.exceptions import ValidationError

from sanxin.accounts.models import ApiToken, User
from sanxin.accounts.tokens import VALIDITY_DAYS, api_token_create, api_token_revoke
from sanxin.core.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = "创建、撤销或列出账号的 API 令牌（运维在服务器上执行，记入审计日志）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为账号创建令牌，令牌只显示这一次")
        create.add_argument("username")
        create.add_argument("--name", default="命令行创建")
        create.add_argument("--days", type=int, default=90, choices=VALIDITY_DAYS)
        revoke = sub.add_parser("revoke", help="按编号撤销令牌")
        revoke.add_argument("token_id", type=int)
        listing = sub.add_parser("list", help="列出账号的令牌")
        listing.add_argument("username")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在")
        return user

    def _create(self, *, username, name, days, **options):
        token, raw = api_token_create(actor=None, user=self._user(username), name=name, days=days)
        self.stdout.write(f"已为 {username} 创建令牌 #{token.pk}“{token.name}”，{token.expires_at:%Y-%m-%d} 过期。令牌只显示这一次：")
        self.stdout.write(raw)

    def _revoke(self, *, token_id, **options):
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"令牌 #{token_id} 不存在")
        api_token_revoke(actor=None, token=token)
        self.stdout.write(f"令牌 #{token.pk}“{token.name}”（{token.user.username}）已撤销")

    def _list(self, *, username, **options):
        for token in self._user(username).api_tokens.all():
            self.stdout.write(f"#{token.pk}\t{token.name}\t{token.status}\t{token.expires_at:%Y-%m-%d}")

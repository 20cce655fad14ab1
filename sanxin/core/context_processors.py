from sanxin.core.notifications import unread_count


def messages_unread(request):
    """The number on the bell in the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"messages_unread": unread_count(user)}

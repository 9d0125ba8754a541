"""Channels: one thin module per channel that only translates its protocol to the conversation
service (conversations/conversation.py) and back — web (`web.py`), WeChat (`wechat/`)."""

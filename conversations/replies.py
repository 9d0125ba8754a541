"""What the conversation service itself says (not the bot): one place for these texts."""

from __future__ import annotations

UNAVAILABLE = (
    "抱歉，智能客服暂时无法应答。您的留言已保存，工作人员会尽快处理；"
    "紧急事项请拨打12368诉讼服务热线（工作日8:30-17:30有人工服务）。"
)
UNBOUND = "已解除您在本公众号的案件身份绑定（{count}件）。以后查询案件进度时需要重新核验身份。"
NOTHING_BOUND = "您目前没有绑定任何案件，无需解除。查询案件进度时核验通过的身份会保留{days}天，回复“解除绑定”可随时解除。"

# Live hand-off: what the caller is told after asking for a person.
LIVE_CONNECTING = "正在为您接通人工客服，请稍候；接通前您也可以继续向我提问。"
LIVE_BUSY = "目前人工客服均在忙，工单{ticket}已登记，工作人员会在{when}前与您联系，请保持电话畅通。"
LIVE_CLOSED = "现在是非工作时间，工单{ticket}已登记，工作人员会在{when}后与您联系，请保持电话畅通。"
LIVE_TAKEN = "工作人员已接入，您好，请问有什么可以帮您？"
LIVE_ENDED = "人工服务已结束，感谢您的耐心。如还有问题，可以继续向智能客服提问。"

"""The WeChat official account channel (wechatpy 1.8.18): callback protocol, de-duplication of
WeChat's retries, the 5-second rule, and the outbound API behind `WeChatAPI`."""

"""Telegram's sending limit is the bot's: each of several replicas paces itself to its share."""


async def test_a_replica_paces_its_sending_to_its_share_of_the_bots_limit(bot_with):
    alone = await bot_with(messages_per_second=30)
    one_of_three = await bot_with(messages_per_second=30, replicas=3)
    unpaced = await bot_with(messages_per_second=0, replicas=3)

    # bot.sending.ResilientSender paces sends with a bot.sending.Pacer
    assert alone.application.bot.rate_limiter.pacer.rate == 30
    assert one_of_three.application.bot.rate_limiter.pacer.rate == 10
    assert unpaced.application.bot.rate_limiter.pacer is None

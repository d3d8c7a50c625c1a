package io.spoor.demo.service;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The Redis cache client (Jedis, instrumented by the agent). */
final class Redis {
    private Redis() {
    }

    static JedisPooled connect() {
        return new JedisPooled(new HostAndPort("127.0.0.1", Integer.parseInt(ServiceEnv.require("DEMO_REDIS_PORT"))),
                DefaultJedisClientConfig.builder().clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build());
    }
}

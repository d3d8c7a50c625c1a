package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Opens the driver session the engine (and {@code spoor schema create}) use, configured from the settings. */
public final class Sessions {
    private Sessions() {
    }

    public static CqlSession open(CassandraStoreSettings settings) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, settings.requestTimeout())
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, settings.connectTimeout())
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, settings.connectTimeout())
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, settings.connectTimeout())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY,
                        Consistency.parse(settings.consistency()).name())
                // every statement Spoor sends can be repeated safely (fixed ids, no counters, no read-modify-write)
                .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true)
                // a restarted node is found again within seconds, not the default minute
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofMinutes(1))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofMinutes(1))
                // token-aware routing needs our keyspace's replication; the rest of the cluster's schema is not ours
                .withStringList(DefaultDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES,
                        java.util.List.of(settings.keyspace()))
                .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS,
                        Math.max(1024, settings.maxInFlightWrites() * 2))
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(config)
                .addContactPoints(settings.contactPoints())
                .withLocalDatacenter(settings.localDatacenter());
        settings.credentials().ifPresent(c -> builder.withAuthCredentials(c.username(), c.password()));
        settings.tls().ifPresent(tls -> builder.withSslEngineFactory(
                new ProgrammaticSslEngineFactory(sslContext(tls), null, tls.hostnameValidation())));
        return builder.build();
    }

    private static SSLContext sslContext(CassandraStoreSettings.Tls tls) {
        try {
            TrustManagerFactory tmf = null;
            if (tls.trustStore().isPresent()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(tls.trustStore().get(), tls.trustStorePassword()));
            }
            KeyManagerFactory kmf = null;
            if (tls.keyStore().isPresent()) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] password = tls.keyStorePassword().map(String::toCharArray).orElse(new char[0]);
                kmf.init(load(tls.keyStore().get(), tls.keyStorePassword()), password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS towards Cassandra: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, Optional<String> password) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password.map(String::toCharArray).orElse(null));
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key store " + file, e);
        }
    }
}

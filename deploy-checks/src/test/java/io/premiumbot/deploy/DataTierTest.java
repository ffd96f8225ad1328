package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;

/**
 * The production overlay runs its own data tier: PostgreSQL as a CloudNativePG Cluster with a synchronous standby and
 * backups, Redis with Sentinel; both services and KEDA are pointed at it. The CloudNativePG and Barman Cloud resources
 * are checked field by field against their APIs ({@link CloudNativePgModel}).
 */
class DataTierTest {

    private static final String PRODUCTION = "prod";
    /** The namespace k8s/README.md applies the production overlay to; the data addresses name it. */
    private static final String NAMESPACE = "premium";

    private static final String BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";

    @Test
    void theDataTiersCustomResourcesCarryOnlyFieldsTheirApisHave() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        CloudNativePgModel.requireKnownClusterFields(cluster(rendered));
        CloudNativePgModel.requireKnownScheduledBackupFields(only(rendered.raw("ScheduledBackup")));
        CloudNativePgModel.requireKnownObjectStoreFields(only(rendered.raw("ObjectStore")));
    }

    @Test
    void aMisspeltClusterFieldFailsTheCheck() {
        ObjectNode cluster = cluster(Rendered.overlay(PRODUCTION)).deepCopy();
        ((ObjectNode) cluster.at("/spec/postgresql/synchronous")).put("dataDurabilty", "required");

        IllegalArgumentException failure = assertThrows(
                IllegalArgumentException.class, () -> CloudNativePgModel.requireKnownClusterFields(cluster));
        assertTrue(failure.getMessage().contains("dataDurabilty"), failure.getMessage());
    }

    @Test
    void theProductionDatabaseReplicatesSynchronously() {
        JsonNode spec = cluster(Rendered.overlay(PRODUCTION)).path("spec");
        int instances = spec.path("instances").asInt();
        assertTrue(instances >= 3, "a primary and two standbys, so one standby may be down: " + instances);
        JsonNode synchronous = spec.at("/postgresql/synchronous");
        assertTrue(Set.of("any", "first").contains(synchronous.path("method").asText()), "synchronous.method");
        int number = synchronous.path("number").asInt();
        assertTrue(
                number >= 1 && number < instances,
                "every commit waits for " + number + " of " + (instances - 1) + " standbys");
        // "preferred" drops to asynchronous when the standbys are away: a failover then loses committed money moves
        assertEquals("required", synchronous.path("dataDurability").asText("required"), "dataDurability");
        assertTrue(
                synchronous.path("failoverQuorum").asBoolean(false),
                "failoverQuorum: promote only a standby known to hold every synchronous commit");
        // the stanza replaces the older settings; both at once would leave two sources of truth
        assertTrue(!spec.has("minSyncReplicas") && !spec.has("maxSyncReplicas"), "minSyncReplicas/maxSyncReplicas");
        String commit =
                spec.at("/postgresql/parameters").path("synchronous_commit").asText("on");
        assertTrue(
                Set.of("on", "remote_apply").contains(commit),
                "synchronous_commit " + commit + " waits for no standby flush");
    }

    @Test
    void noTwoDatabaseInstancesShareANode() {
        JsonNode affinity = cluster(Rendered.overlay(PRODUCTION)).at("/spec/affinity");
        assertTrue(affinity.path("enablePodAntiAffinity").asBoolean(true), "enablePodAntiAffinity");
        assertEquals("required", affinity.path("podAntiAffinityType").asText(), "podAntiAffinityType");
        assertEquals("kubernetes.io/hostname", affinity.path("topologyKey").asText("kubernetes.io/hostname"));
    }

    @Test
    void bothServicesUseTheClustersReadWriteService() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        JsonNode cluster = cluster(rendered);
        URI db = URI.create(rendered.configValue("DB_URL"));
        assertEquals(
                cluster.at("/metadata/name").asText() + "-rw." + NAMESPACE + ".svc.cluster.local",
                db.getHost(),
                "DB_URL must name the Cluster's read-write Service: it follows the primary through a failover");
        assertEquals(5432, db.getPort());
        JsonNode initdb = cluster.at("/spec/bootstrap/initdb");
        assertEquals("/" + initdb.path("database").asText(), db.getPath(), "DB_URL's database");
        assertEquals(initdb.path("owner").asText(), rendered.configValue("DB_USER"), "DB_USER owns the database");
        for (Deployment deployment : rendered.deployments()) {
            String service = deployment.getMetadata().getName();
            assertTrue(
                    Overlays.container(deployment).getEnv().stream()
                            .noneMatch(e -> e.getName().equals("DB_URL")),
                    service + " overrides DB_URL");
            assertTrue(
                    EnvironmentContractTest.envGiven(rendered, service).contains("DB_URL"),
                    service + " doesn't load DB_URL");
        }
    }

    @Test
    void theProductionDatabaseArchivesItsWalAndIsBackedUpNightly() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        JsonNode cluster = cluster(rendered);
        JsonNode plugin = only(cluster.at("/spec/plugins"));
        assertEquals(BARMAN_PLUGIN, plugin.path("name").asText());
        assertTrue(plugin.path("isWALArchiver").asBoolean(false), "the plugin must archive the WAL");
        JsonNode store = only(rendered.raw("ObjectStore"));
        assertEquals(
                store.at("/metadata/name").asText(),
                plugin.at("/parameters/barmanObjectName").asText(),
                "the plugin must use the overlay's ObjectStore");
        assertTrue(
                store.at("/spec/configuration/destinationPath").asText().matches("^(s3|gs|https)://.+"),
                "destinationPath");
        assertTrue(store.at("/spec/retentionPolicy").asText().matches("^[1-9][0-9]*[dwm]$"), "retentionPolicy");

        JsonNode backup = only(rendered.raw("ScheduledBackup")).path("spec");
        assertEquals(
                cluster.at("/metadata/name").asText(),
                backup.at("/cluster/name").asText());
        assertEquals("plugin", backup.path("method").asText());
        assertEquals(BARMAN_PLUGIN, backup.at("/pluginConfiguration/name").asText());
        // CloudNativePG's schedule has six fields, seconds first: a five-field cron would mean something else
        assertEquals(6, backup.path("schedule").asText().trim().split("\\s+").length, "schedule");
        assertTrue(backup.path("immediate").asBoolean(false), "a first base backup right away");
    }

    @Test
    void bothServicesFindThePrimaryThroughEverySentinelTheOverlayRuns() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        assertEquals("sentinel", rendered.configValue("REDIS_CLIENT_TYPE"));
        StatefulSet sentinels = rendered.one(StatefulSet.class, "redis-sentinel");
        int port = onlyContainer(sentinels).getPorts().get(0).getContainerPort();
        List<String> urls = Arrays.stream(rendered.configValue("REDIS_URL").split(","))
                .map(String::strip)
                .toList();
        assertEquals(
                podAddresses(sentinels, port).stream().map(a -> "redis://" + a).toList(), urls);
        String group = rendered.configValue("REDIS_MASTER_NAME");
        for (String set : List.of("redis", "redis-sentinel")) {
            assertEquals(
                    group, env(rendered.one(StatefulSet.class, set), "MASTER_NAME"), set + " watches another group");
        }
        StatefulSet redis = rendered.one(StatefulSet.class, "redis");
        assertEquals(String.valueOf(redis.getSpec().getReplicas()), env(sentinels, "REDIS_NODES"));
        assertEquals(String.valueOf(sentinels.getSpec().getReplicas()), env(redis, "SENTINELS"));
        int quorum = Integer.parseInt(env(sentinels, "QUORUM"));
        assertTrue(quorum > sentinels.getSpec().getReplicas() / 2, "a minority of sentinels must never promote");
    }

    @Test
    void theQueueScalerReadsTheSentinelManagedPrimary() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        JsonNode trigger = only(only(rendered.raw("ScaledObject")).at("/spec/triggers"));
        assertEquals("redis-sentinel", trigger.path("type").asText());
        StatefulSet sentinels = rendered.one(StatefulSet.class, "redis-sentinel");
        int port = onlyContainer(sentinels).getPorts().get(0).getContainerPort();
        assertEquals(
                String.join(",", podAddresses(sentinels, port)),
                trigger.at("/metadata/addresses").asText().replace(" ", ""));
        assertEquals(
                env(sentinels, "MASTER_NAME"),
                trigger.at("/metadata/sentinelMaster").asText());
    }

    @Test
    void redisAndItsSentinelsAdmitBothServicesAndKedaOnTheirPorts() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        for (StatefulSet set : rendered.all(StatefulSet.class)) {
            String name = set.getMetadata().getName();
            int port = onlyContainer(set).getPorts().get(0).getContainerPort();
            List<NetworkPolicyIngressRule> rules = rendered.all(NetworkPolicy.class).stream()
                    .filter(p -> Rendered.selects(
                            p.getSpec().getPodSelector(),
                            set.getSpec().getTemplate().getMetadata().getLabels()))
                    .flatMap(p -> p.getSpec().getIngress().stream())
                    .filter(rule -> rule.getPorts().stream()
                            .anyMatch(p ->
                                    Integer.valueOf(port).equals(p.getPort().getIntVal())))
                    .toList();
            assertTrue(!rules.isEmpty(), "no policy admits anything to " + name + " on " + port);
            for (Deployment deployment : rendered.deployments()) {
                assertTrue(
                        rules.stream()
                                .flatMap(rule -> rule.getFrom().stream())
                                .anyMatch(peer -> peer.getNamespaceSelector() == null
                                        && Rendered.selects(peer.getPodSelector(), Rendered.podLabels(deployment))),
                        deployment.getMetadata().getName() + " can't reach " + name + " on " + port);
            }
            assertTrue(
                    rules.stream()
                            .flatMap(rule -> rule.getFrom().stream())
                            .anyMatch(peer -> peer.getNamespaceSelector() != null
                                    && "keda"
                                            .equals(peer.getNamespaceSelector()
                                                    .getMatchLabels()
                                                    .get("kubernetes.io/metadata.name"))),
                    "KEDA's operator can't reach " + name + " on " + port);
        }
    }

    @Test
    void redisNeverEvictsAJobAndKeepsItsDataAcrossRestarts() {
        Rendered rendered = Rendered.overlay(PRODUCTION);
        JsonNode configMap = rendered.raw("ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals("redis-config"))
                .findFirst()
                .orElseThrow();
        List<String> conf = configMap
                .at("/data/redis.conf")
                .asText()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertTrue(conf.contains("maxmemory-policy noeviction"), "an evicted job is a silently delayed order");
        assertTrue(conf.contains("appendonly yes"), "an empty restarted primary would be copied to its replicas");
        StatefulSet redis = rendered.one(StatefulSet.class, "redis");
        Container container = onlyContainer(redis);
        String volume = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/data"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("redis keeps /data on no volume"))
                .getName();
        assertTrue(
                redis.getSpec().getVolumeClaimTemplates().stream()
                        .anyMatch(t -> t.getMetadata().getName().equals(volume)),
                "/data must be a persistent volume claim");
        long maxMemory = conf.stream()
                .filter(l -> l.startsWith("maxmemory "))
                .map(l -> Quantity.getAmountInBytes(new Quantity(l.substring(10).replace("mb", "Mi")))
                        .longValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no maxmemory: Redis would grow until the pod is killed"));
        ResourceRequirements resources = container.getResources();
        long limit =
                Quantity.getAmountInBytes(resources.getLimits().get("memory")).longValue();
        assertTrue(maxMemory < limit, "maxmemory " + maxMemory + " must stay below the memory limit " + limit);
    }

    @Test
    void theDataTierRunsWithoutRootOnReadOnlyFilesystems() {
        for (StatefulSet set : Rendered.overlay(PRODUCTION).all(StatefulSet.class)) {
            String name = set.getMetadata().getName();
            assertEquals(
                    Boolean.TRUE,
                    set.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(),
                    name);
            Container container = onlyContainer(set);
            assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem(), name);
            assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertNotEquals(null, container.getResources().getLimits().get("memory"), name + ": no memory limit");
        }
    }

    private static ObjectNode cluster(Rendered rendered) {
        return (ObjectNode) only(rendered.raw("Cluster"));
    }

    /** Every pod's stable address: {@code <pod>.<governing service>.<namespace>.svc.cluster.local:<port>}. */
    private static List<String> podAddresses(StatefulSet set, int port) {
        return IntStream.range(0, set.getSpec().getReplicas())
                .mapToObj(i -> set.getMetadata().getName() + "-" + i + "."
                        + set.getSpec().getServiceName() + "." + NAMESPACE + ".svc.cluster.local:" + port)
                .toList();
    }

    private static Container onlyContainer(StatefulSet set) {
        List<Container> containers = set.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), set.getMetadata().getName() + " containers");
        return containers.get(0);
    }

    private static String env(StatefulSet set, String name) {
        return onlyContainer(set).getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(set.getMetadata().getName() + " sets no " + name));
    }

    private static JsonNode only(List<JsonNode> nodes) {
        assertEquals(1, nodes.size(), "expected exactly one");
        return nodes.get(0);
    }

    private static JsonNode only(JsonNode array) {
        assertTrue(array.isArray() && array.size() == 1, "expected a list of one, got " + array);
        return array.get(0);
    }
}

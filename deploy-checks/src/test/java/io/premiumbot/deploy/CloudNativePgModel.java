package io.premiumbot.deploy;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/**
 * The CloudNativePG and Barman Cloud resources the data tier uses, checked field by field: they are outside fabric8's
 * model, so every object of them may carry only the fields its API has (postgresql.cnpg.io/v1 of CloudNativePG 1.28,
 * barmancloud.cnpg.io/v1), and the Kubernetes types inside them parse strictly.
 */
final class CloudNativePgModel {

    private static final Set<String> CLUSTER_SPEC = Set.of(
            "description",
            "inheritedMetadata",
            "imageName",
            "imageCatalogRef",
            "imagePullPolicy",
            "schedulerName",
            "postgresUID",
            "postgresGID",
            "instances",
            "minSyncReplicas",
            "maxSyncReplicas",
            "postgresql",
            "replicationSlots",
            "bootstrap",
            "replica",
            "superuserSecret",
            "enableSuperuserAccess",
            "certificates",
            "imagePullSecrets",
            "storage",
            "serviceAccountTemplate",
            "walStorage",
            "ephemeralVolumeSource",
            "startDelay",
            "stopDelay",
            "smartShutdownTimeout",
            "switchoverDelay",
            "failoverDelay",
            "livenessProbeTimeout",
            "affinity",
            "topologySpreadConstraints",
            "resources",
            "ephemeralVolumesSizeLimit",
            "priorityClassName",
            "primaryUpdateStrategy",
            "primaryUpdateMethod",
            "backup",
            "nodeMaintenanceWindow",
            "monitoring",
            "externalClusters",
            "logLevel",
            "projectedVolumeTemplate",
            "env",
            "envFrom",
            "managed",
            "seccompProfile",
            "podSecurityContext",
            "securityContext",
            "tablespaces",
            "enablePDB",
            "plugins",
            "probes");
    private static final Set<String> POSTGRESQL = Set.of(
            "parameters",
            "synchronous",
            "pg_hba",
            "pg_ident",
            "syncReplicaElectionConstraint",
            "shared_preload_libraries",
            "ldap",
            "promotionTimeout",
            "enableAlterSystem",
            "extensions");
    private static final Set<String> SYNCHRONOUS = Set.of(
            "method",
            "number",
            "maxStandbyNamesFromCluster",
            "standbyNamesPre",
            "standbyNamesPost",
            "dataDurability",
            "failoverQuorum");
    private static final Set<String> INITDB = Set.of(
            "database",
            "owner",
            "secret",
            "options",
            "dataChecksums",
            "encoding",
            "localeCollate",
            "localeCType",
            "locale",
            "localeProvider",
            "icuLocale",
            "icuRules",
            "builtinLocale",
            "walSegmentSize",
            "postInitSQL",
            "postInitApplicationSQL",
            "postInitTemplateSQL",
            "import",
            "postInitApplicationSQLRefs",
            "postInitTemplateSQLRefs",
            "postInitSQLRefs");
    private static final Set<String> STORAGE = Set.of("storageClass", "size", "resizeInUseVolumes", "pvcTemplate");
    private static final Set<String> AFFINITY = Set.of(
            "enablePodAntiAffinity",
            "topologyKey",
            "nodeSelector",
            "nodeAffinity",
            "tolerations",
            "podAntiAffinityType",
            "additionalPodAntiAffinity",
            "additionalPodAffinity");
    private static final Set<String> PLUGIN = Set.of("name", "enabled", "isWALArchiver", "parameters");
    private static final Set<String> SCHEDULED_BACKUP_SPEC = Set.of(
            "suspend",
            "immediate",
            "schedule",
            "cluster",
            "backupOwnerReference",
            "target",
            "method",
            "pluginConfiguration",
            "online",
            "onlineConfiguration");
    private static final Set<String> OBJECT_STORE_SPEC =
            Set.of("configuration", "retentionPolicy", "instanceSidecarConfiguration");
    private static final Set<String> BARMAN_CONFIGURATION = Set.of(
            "destinationPath",
            "endpointURL",
            "endpointCA",
            "serverName",
            "wal",
            "data",
            "tags",
            "historyTags",
            "s3Credentials",
            "azureCredentials",
            "googleCredentials");
    private static final Set<String> S3_CREDENTIALS =
            Set.of("accessKeyId", "secretAccessKey", "region", "sessionToken", "inheritFromIAMRole");

    static void requireKnownClusterFields(JsonNode cluster) {
        ScalingAndMonitoringTest.requireResourceShape(cluster);
        JsonNode spec = cluster.path("spec");
        StrictKubernetesModel.requireOnlyFields(spec, CLUSTER_SPEC, "Cluster spec");
        StrictKubernetesModel.requireOnlyFields(spec.path("postgresql"), POSTGRESQL, "Cluster spec.postgresql");
        StrictKubernetesModel.requireOnlyFields(
                spec.at("/postgresql/synchronous"), SYNCHRONOUS, "Cluster spec.postgresql.synchronous");
        StrictKubernetesModel.requireOnlyFields(
                spec.path("bootstrap"), Set.of("initdb", "recovery", "pg_basebackup"), "Cluster spec.bootstrap");
        StrictKubernetesModel.requireOnlyFields(spec.at("/bootstrap/initdb"), INITDB, "Cluster spec.bootstrap.initdb");
        StrictKubernetesModel.requireOnlyFields(
                spec.at("/bootstrap/initdb/secret"), Set.of("name"), "Cluster spec.bootstrap.initdb.secret");
        StrictKubernetesModel.requireOnlyFields(spec.path("storage"), STORAGE, "Cluster spec.storage");
        StrictKubernetesModel.requireOnlyFields(spec.path("walStorage"), STORAGE, "Cluster spec.walStorage");
        StrictKubernetesModel.requireOnlyFields(spec.path("affinity"), AFFINITY, "Cluster spec.affinity");
        StrictKubernetesModel.parse(spec.path("resources"), ResourceRequirements.class);
        for (JsonNode plugin : spec.path("plugins")) {
            StrictKubernetesModel.requireOnlyFields(plugin, PLUGIN, "Cluster spec.plugins[]");
        }
    }

    static void requireKnownScheduledBackupFields(JsonNode backup) {
        ScalingAndMonitoringTest.requireResourceShape(backup);
        JsonNode spec = backup.path("spec");
        StrictKubernetesModel.requireOnlyFields(spec, SCHEDULED_BACKUP_SPEC, "ScheduledBackup spec");
        StrictKubernetesModel.requireOnlyFields(spec.path("cluster"), Set.of("name"), "ScheduledBackup spec.cluster");
        StrictKubernetesModel.requireOnlyFields(
                spec.path("pluginConfiguration"),
                Set.of("name", "parameters"),
                "ScheduledBackup spec.pluginConfiguration");
    }

    static void requireKnownObjectStoreFields(JsonNode store) {
        ScalingAndMonitoringTest.requireResourceShape(store);
        JsonNode spec = store.path("spec");
        StrictKubernetesModel.requireOnlyFields(spec, OBJECT_STORE_SPEC, "ObjectStore spec");
        JsonNode configuration = spec.path("configuration");
        StrictKubernetesModel.requireOnlyFields(configuration, BARMAN_CONFIGURATION, "ObjectStore configuration");
        StrictKubernetesModel.requireOnlyFields(
                configuration.path("s3Credentials"), S3_CREDENTIALS, "ObjectStore configuration.s3Credentials");
        // credentials come from a Secret, key by key, never as literals
        for (String key : List.of("accessKeyId", "secretAccessKey")) {
            StrictKubernetesModel.parse(configuration.at("/s3Credentials/" + key), SecretKeySelector.class);
        }
        StrictKubernetesModel.requireOnlyFields(
                configuration.path("wal"),
                Set.of(
                        "compression",
                        "encryption",
                        "maxParallel",
                        "archiveAdditionalCommandArgs",
                        "restoreAdditionalCommandArgs"),
                "ObjectStore configuration.wal");
        StrictKubernetesModel.requireOnlyFields(
                configuration.path("data"),
                Set.of("compression", "encryption", "jobs", "immediateCheckpoint", "additionalCommandArgs"),
                "ObjectStore configuration.data");
    }

    private CloudNativePgModel() {}
}

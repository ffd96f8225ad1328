package io.premiumbot.model.audit;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One operator action: what, on what, by whom, from where, when. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, updatable = false)
    public String action;

    @Column(nullable = false, updatable = false)
    public String target;

    @Column(nullable = false, updatable = false)
    public String actor;

    @Column(name = "remote_address", updatable = false)
    public String remoteAddress;

    @Column(updatable = false)
    public String details;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}

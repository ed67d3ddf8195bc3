import type { ECR, RepositoryFilterType, ScanFrequency, ScanningRepositoryFilterType, ScanType } from '@aws-sdk/client-ecr';
import type { Providers } from '../../../core/wire/service';
import {
  batchRepositoryScanning,
  deleteRegistryPolicy,
  getRegistryPolicy,
  getReplication,
  getScanning,
  putRegistryPolicy,
  putReplication,
  putScanning,
  type ReplicationConfiguration,
  type ScanningConfiguration,
} from '../model/registry-settings';
import { registryResource } from './common';

/**
 * Private registry settings: DescribeRegistry and replication, registry
 * scanning, and the registry permissions policy.
 */

function replicationOutput(cfg: ReplicationConfiguration) {
  return {
    rules: cfg.rules.map((r) => ({
      destinations: r.destinations,
      ...(r.repositoryFilters ? { repositoryFilters: r.repositoryFilters.map((f) => ({ ...f, filterType: f.filterType as RepositoryFilterType })) } : {}),
    })),
  };
}

function scanningOutput(cfg: ScanningConfiguration) {
  return {
    scanType: cfg.scanType as ScanType,
    rules: cfg.rules.map((r) => ({
      scanFrequency: r.scanFrequency as ScanFrequency,
      repositoryFilters: r.repositoryFilters.map((f) => ({ ...f, filterType: f.filterType as ScanningRepositoryFilterType })),
    })),
  };
}

export const registryProviders: Providers<ECR> = {
  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRegistry.html
  DescribeRegistry: {
    resource: registryResource,
    handler(_input, ctx) {
      return { registryId: ctx.env.accountId, replicationConfiguration: replicationOutput(getReplication(ctx.env, ctx.region)) };
    },
  },

  PutReplicationConfiguration: {
    resource: registryResource,
    handler(input, ctx) {
      return { replicationConfiguration: replicationOutput(putReplication(ctx.env, ctx.region, input.replicationConfiguration)) };
    },
  },

  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRegistryScanningConfiguration.html
  GetRegistryScanningConfiguration: {
    resource: registryResource,
    handler(_input, ctx) {
      return { registryId: ctx.env.accountId, scanningConfiguration: scanningOutput(getScanning(ctx.env, ctx.region)) };
    },
  },

  PutRegistryScanningConfiguration: {
    resource: registryResource,
    handler(input, ctx) {
      return { registryScanningConfiguration: scanningOutput(putScanning(ctx.env, ctx.region, input)) };
    },
  },

  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetRepositoryScanningConfiguration.html
  BatchGetRepositoryScanningConfiguration(input, ctx) {
    const out = batchRepositoryScanning(ctx.env, ctx.region, input.repositoryNames);
    return {
      scanningConfigurations: out.configurations.map((c) => ({
        ...c,
        scanFrequency: c.scanFrequency as ScanFrequency,
        appliedScanFilters: c.appliedScanFilters.map((f) => ({ ...f, filterType: f.filterType as ScanningRepositoryFilterType })),
      })),
      failures: out.failures.map((f) => ({ ...f, failureCode: 'REPOSITORY_NOT_FOUND' as const })),
    };
  },

  PutRegistryPolicy: {
    resource: registryResource,
    handler(input, ctx) {
      return { registryId: ctx.env.accountId, policyText: putRegistryPolicy(ctx.env, ctx.region, input.policyText) };
    },
  },

  GetRegistryPolicy: {
    resource: registryResource,
    handler(_input, ctx) {
      return { registryId: ctx.env.accountId, policyText: getRegistryPolicy(ctx.env, ctx.region) };
    },
  },

  DeleteRegistryPolicy: {
    resource: registryResource,
    handler(_input, ctx) {
      return { registryId: ctx.env.accountId, policyText: deleteRegistryPolicy(ctx.env, ctx.region) };
    },
  },
};

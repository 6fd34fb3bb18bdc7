import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { Construct } from 'constructs';

export interface AzureMonitoringProps {
  /** Workspace name. */
  readonly name: string;
  /** Resource group and location of the workspace. */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Days logs are kept. */
  readonly retentionDays: number;
}

/** The Log Analytics workspace AKS Container Insights writes to. */
export class AzureMonitoring extends Construct {
  readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: AzureMonitoringProps) {
    super(scope, id);
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: props.retentionDays,
      localAuthenticationEnabled: false,
    });
  }
}

export interface AzureContainerInsightsProps {
  /** Cluster name; the rule is named after it. */
  readonly clusterName: string;
  /** Resource group and location of the rule (the cluster's). */
  readonly resourceGroupName: string;
  readonly location: string;
  /** The AKS cluster whose monitoring agent the rule configures. */
  readonly clusterId: string;
  /** Workspace the agent writes to. */
  readonly workspaceId: string;
}

/**
 * The data collection rule Container Insights needs when its agent authenticates with a managed
 * identity (`msi_auth_for_monitoring_enabled`): without a rule associated to the cluster, the agent
 * runs and collects nothing. One rule sending the default Container Insights streams to the workspace.
 */
export class AzureContainerInsights extends Construct {
  readonly rule: MonitorDataCollectionRule;

  constructor(scope: Construct, id: string, props: AzureContainerInsightsProps) {
    super(scope, id);
    const destination = 'workspace';
    const streams = ['Microsoft-ContainerInsights-Group-Default'];
    this.rule = new MonitorDataCollectionRule(this, 'rule', {
      name: `MSCI-${props.location}-${props.clusterName}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      kind: 'Linux',
      destinations: { logAnalytics: [{ name: destination, workspaceResourceId: props.workspaceId }] },
      dataFlow: [{ streams, destinations: [destination] }],
      dataSources: {
        extension: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams,
            extensionJson: JSON.stringify({
              dataCollectionSettings: {
                interval: '1m',
                namespaceFilteringMode: 'Off',
                enableContainerLogV2: true,
              },
            }),
          },
        ],
      },
    });
    new MonitorDataCollectionRuleAssociation(this, 'association', {
      name: 'ContainerInsightsExtension',
      targetResourceId: props.clusterId,
      dataCollectionRuleId: this.rule.id,
    });
  }
}

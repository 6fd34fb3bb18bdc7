import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
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

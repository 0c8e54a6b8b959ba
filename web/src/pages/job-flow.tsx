import { Link } from 'react-router-dom';
import type { FlowNode } from '../../../src/application/contract/index.js';
import { Card } from '../components/card.js';
import { JobStatePill } from '../components/job-state-pill.js';
import { pagePaths } from '../page-paths.js';

function NodeLabel(props: { node: FlowNode; current?: boolean }) {
  const { node } = props;
  return (
    <span className="flow__node" data-testid="flow-node" data-job-id={node.id}>
      {props.current ? (
        <strong aria-current="page">
          <code>{node.id}</code> (this job)
        </strong>
      ) : (
        <Link to={pagePaths.job(node.queueName, node.id)}>
          <code>{node.id}</code>
        </Link>
      )}
      {node.name && <span>{node.name}</span>}
      <span className="muted">{node.queueName}</span>
      <JobStatePill state={node.state} />
      {node.children.length > 0 && <span className="muted">{node.children.length} children</span>}
    </span>
  );
}

function Children(props: { nodes: readonly FlowNode[] }) {
  if (props.nodes.length === 0) return null;
  return (
    <ul>
      {props.nodes.map((child) => (
        <li key={`${child.queueName}/${child.id}`}>
          <NodeLabel node={child} />
          <Children nodes={child.children} />
        </li>
      ))}
    </ul>
  );
}

/** The job's flow: its parent above it, its children below, each with its state and a link. */
export function JobFlow(props: {
  self: FlowNode;
  parent: FlowNode | null;
  children: readonly FlowNode[];
}) {
  if (!props.parent && props.children.length === 0) return null;
  const self = (
    <li>
      <NodeLabel node={props.self} current />
      <Children nodes={props.children} />
    </li>
  );
  return (
    <Card title="Flow" testId="job-flow">
      <ul className="flow" aria-label="Parent and children">
        {props.parent ? (
          <li>
            <NodeLabel node={props.parent} />
            <ul>{self}</ul>
          </li>
        ) : (
          self
        )}
      </ul>
    </Card>
  );
}
